// Contact-center words of complaint and praise in German, French, Spanish,
// Italian and Portuguese, on VADER's scale (-4..+4), written by hand: the
// learned models (learned_sentiment_weights.cc) know tweets about politics
// and football, where "pésimo servicio", "Frechheit" or "deluso" are rare.
// Formal and informal register, with and without accents, and the
// misspellings customers type ("entäuscht", "katastrofal", "pesimo").
// A term ending in '*' is a prefix ("enttäusch*": enttäuscht, enttäuschend,
// Enttäuschung); prefixes start a word, so "unfreundlich" is not "freundlich*".
// Left out on purpose: verbs German and Italian customers negate after the
// verb ("das funktioniert nicht", "mi piace" with "non" before is fine, but
// "gefällt mir nicht" is not), since negation here looks back only.
#include "signals/learned_sentiment.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace hitlgate::signals::internal {
namespace {

constexpr LearnedWeight kDe[] = {
    // complaint
    {"frechheit", -3.0f}, {"unverschämt*", -3.0f}, {"unverschaemt*", -3.0f}, {"unverschämheit", -3.0f},
    {"katastroph*", -3.0f}, {"katastrof*", -3.0f}, {"schlecht*", -2.2f}, {"schlächt", -2.2f},
    {"enttäusch*", -2.5f}, {"enttaeusch*", -2.5f}, {"entäusch*", -2.5f}, {"enttäuch*", -2.5f},
    {"verärgert", -2.5f}, {"veraergert", -2.5f}, {"ärgerlich", -2.2f}, {"aergerlich", -2.2f},
    {"ärgere", -2.0f}, {"ärger", -2.0f}, {"wütend", -3.0f}, {"wuetend", -3.0f}, {"wutend", -3.0f},
    {"stinksauer", -3.2f}, {"sauer", -2.0f}, {"mies*", -2.5f}, {"miserabel", -3.0f}, {"grottig", -3.0f},
    {"grottenschlecht", -3.5f}, {"scheiß*", -3.0f}, {"scheiss*", -3.0f}, {"scheis", -3.0f}, {"mist", -2.0f},
    {"betrug", -3.0f}, {"betrüger*", -3.0f}, {"betrueger*", -3.0f}, {"betrogen", -3.0f}, {"abzocke*", -3.0f},
    {"abgezockt", -3.0f}, {"abzocker*", -3.0f}, {"skandal*", -3.0f}, {"zumutung", -3.0f},
    {"unzumutbar", -3.0f}, {"inakzeptabel", -3.0f}, {"unakzeptabel", -3.0f}, {"lächerlich", -2.5f},
    {"laecherlich", -2.5f}, {"lacherlich", -2.5f}, {"peinlich", -2.2f}, {"nervig", -2.0f}, {"nervt", -2.0f},
    {"genervt", -2.2f}, {"ätzend", -2.5f}, {"aetzend", -2.5f}, {"furchtbar*", -3.0f}, {"schrecklich*", -3.0f},
    {"fürchterlich*", -3.0f}, {"fuerchterlich*", -3.0f}, {"grauenhaft*", -3.0f}, {"grauenvoll*", -3.0f},
    {"übel", -2.0f}, {"kaputt*", -2.0f}, {"defekt*", -2.0f}, {"beschädigt*", -2.0f}, {"beschaedigt*", -2.0f},
    {"mangelhaft*", -2.5f}, {"ungenügend", -2.5f}, {"inkompetent*", -3.0f}, {"unfähig*", -3.0f},
    {"unfaehig*", -3.0f}, {"unfreundlich*", -2.5f}, {"unhöflich*", -2.5f}, {"unhoeflich*", -2.5f},
    {"respektlos*", -2.5f}, {"dreist*", -2.5f}, {"schade", -1.5f}, {"leider", -1.0f}, {"fehler", -1.2f},
    {"beschwerde*", -2.0f}, {"reklamation*", -1.5f}, {"verspätet*", -1.5f}, {"verspätung*", -1.5f},
    {"frustriert*", -2.5f}, {"frustrierend", -2.5f}, {"verzweifelt", -2.5f}, {"hilflos", -2.0f},
    {"sinnlos", -2.0f}, {"nutzlos", -2.5f}, {"wertlos", -2.5f}, {"hasse", -3.0f}, {"hass", -3.0f},
    {"traurig", -2.0f}, {"bescheuert", -2.5f}, {"idioten", -3.0f}, {"kotz*", -3.0f}, {"ekelhaft*", -3.0f},
    {"unmöglich*", -2.0f}, {"unmoeglich*", -2.0f}, {"desaster", -3.0f}, {"chaos", -2.0f},
    {"verarsch*", -3.0f}, {"verarscht", -3.0f}, {"unseriös*", -2.5f}, {"unserioes*", -2.5f},
    {"armselig*", -2.5f}, {"schwach", -1.5f}, {"ignoriert", -2.0f}, {"verloren", -1.5f},
    {"wucher", -3.0f}, {"sauerei", -3.0f}, {"ungerecht*", -2.5f}, {"mangel", -1.5f},
    // praise
    {"danke", 1.6f}, {"dankeschön", 2.0f}, {"dankeschoen", 2.0f}, {"dankbar", 2.0f}, {"bedanke", 2.0f},
    {"vielen", 0.5f}, {"super", 2.5f}, {"toll*", 2.5f}, {"klasse", 2.5f}, {"prima", 2.5f}, {"spitze", 2.5f},
    {"perfekt*", 3.0f}, {"hervorragend*", 3.0f}, {"ausgezeichnet*", 3.0f}, {"exzellent*", 3.0f},
    {"großartig*", 3.0f}, {"grossartig*", 3.0f}, {"wunderbar*", 3.0f}, {"fantastisch*", 3.0f},
    {"phantastisch*", 3.0f}, {"genial*", 3.0f}, {"gut", 1.9f}, {"gute", 1.9f}, {"guten", 1.0f},
    {"bestens", 2.5f}, {"zufrieden*", 2.2f}, {"freundlich*", 2.0f}, {"hilfsbereit*", 2.5f},
    {"kompetent*", 2.5f}, {"schnell*", 1.2f}, {"zuverlässig*", 2.0f}, {"zuverlaessig*", 2.0f},
    {"freue", 2.0f}, {"glücklich*", 2.5f}, {"gluecklich*", 2.5f}, {"begeistert", 3.0f},
    {"empfehlenswert", 2.5f}, {"weiterempfehlen", 2.5f}, {"top", 2.5f}, {"geklappt", 1.5f},
    {"gelöst", 1.5f}, {"geloest", 1.5f}, {"erledigt", 1.0f}, {"klappt", 1.2f}, {"lob", 2.0f},
    {"loben", 2.0f}, {"wow", 2.0f}, {"spitzenmäßig", 3.0f}, {"einwandfrei", 2.5f}, {"unkompliziert", 2.0f},
    // feelings customers share with everyone else
    {"angst", -2.0f}, {"ängste", -2.0f}, {"sorge*", -1.5f}, {"leid", -1.5f}, {"weinen", -2.0f},
    {"heulen", -2.0f}, {"langweilig*", -2.0f}, {"falsch*", -1.5f}, {"lüge*", -2.5f}, {"luege*", -2.5f},
    {"gelogen", -2.5f}, {"dumme*", -2.0f}, {"blöd*", -2.2f}, {"bloed*", -2.2f}, {"doof*", -2.0f},
    {"krank", -1.5f}, {"tot", -2.0f}, {"gefahr*", -1.5f}, {"gefährlich*", -2.0f}, {"wut", -2.5f},
    {"liebe", 2.0f}, {"lieben", 2.0f}, {"liebt", 2.0f}, {"liebling*", 2.5f}, {"schön*", 2.2f},
    {"schoen*", 2.2f}, {"freude", 2.5f}, {"freut", 2.2f}, {"spaß", 2.0f}, {"spass", 2.0f},
    {"lachen", 1.5f}, {"hoffnung", 1.5f}, {"glück", 2.5f}, {"glueck", 2.5f}, {"gratuliere", 2.5f},
    {"glückwunsch*", 2.5f}, {"herzlich*", 2.0f}, {"yeah", 2.0f}, {"juhu", 2.5f}, {"endlich", 0.8f},
    {"lustig*", 2.0f}, {"witzig*", 2.0f}, {"cool", 2.0f}, {"geil*", 2.5f}, {"hammer", 2.0f},
};

constexpr LearnedWeight kFr[] = {
    // complaint
    {"honte", -3.0f}, {"honteu*", -3.0f}, {"scandale*", -3.0f}, {"scandaleu*", -3.0f},
    {"inadmissible*", -3.0f}, {"inacceptable*", -3.0f}, {"innaceptable", -3.0f}, {"nul", -2.5f},
    {"nulle", -2.5f}, {"nuls", -2.5f}, {"nullissime", -3.0f}, {"lamentable*", -3.0f},
    {"pitoyable*", -3.0f}, {"catastroph*", -3.0f}, {"horrible*", -3.0f}, {"affreu*", -3.0f},
    {"désastr*", -3.0f}, {"desastr*", -3.0f}, {"déçu", -2.5f}, {"déçue", -2.5f}, {"déçus", -2.5f},
    {"decu", -2.5f}, {"decue", -2.5f}, {"déception*", -2.5f}, {"deception*", -2.5f}, {"décevant*", -2.5f},
    {"decevant*", -2.5f}, {"mécontent*", -2.5f}, {"mecontent*", -2.5f}, {"furieu*", -3.0f},
    {"énervé*", -2.5f}, {"enerve*", -2.5f}, {"agacé*", -2.0f}, {"agace*", -2.0f}, {"marre", -2.5f},
    {"ras-le-bol", -3.0f}, {"arnaque*", -3.0f}, {"arnaqu*", -3.0f}, {"escroc*", -3.0f},
    {"escroquerie*", -3.0f}, {"voleur*", -3.0f}, {"voleurs", -3.0f}, {"incompétent*", -3.0f},
    {"incompetent*", -3.0f}, {"incompétence", -3.0f}, {"incapable*", -2.5f}, {"médiocre*", -2.5f},
    {"mediocre*", -2.5f}, {"pire", -2.5f}, {"pourri*", -3.0f}, {"merde*", -3.0f}, {"chiant*", -2.5f},
    {"dégoûté*", -3.0f}, {"degoute*", -3.0f}, {"dégoutant*", -3.0f}, {"dégueulasse", -3.0f},
    {"degueulasse", -3.0f}, {"insupportable*", -3.0f}, {"lent", -1.0f}, {"lente", -1.0f},
    {"lenteur", -1.5f}, {"retard", -1.5f}, {"problème", -1.0f}, {"probleme", -1.0f}, {"panne", -1.5f},
    {"cassé", -2.0f}, {"cassée", -2.0f}, {"défectueu*", -2.0f}, {"defectueu*", -2.0f}, {"abîmé*", -2.0f},
    {"abime*", -2.0f}, {"endommagé*", -2.0f}, {"plainte", -2.0f}, {"réclamation", -1.5f},
    {"reclamation", -1.5f}, {"mauvais*", -2.2f}, {"malpoli*", -2.5f}, {"impoli*", -2.5f},
    {"irrespectueu*", -2.5f}, {"inutile*", -2.0f}, {"ridicule*", -2.5f}, {"absurde*", -2.0f},
    {"triste*", -2.0f}, {"colère", -2.5f}, {"colere", -2.5f}, {"déplorable*", -3.0f},
    {"deplorable*", -3.0f}, {"insatisfait*", -2.5f}, {"désagréable*", -2.0f}, {"desagreable*", -2.0f},
    {"fâché*", -2.5f}, {"fache*", -2.5f}, {"galère", -2.0f}, {"galere", -2.0f}, {"honteusement", -3.0f},
    {"foutage", -3.0f}, {"foutent", -2.5f}, {"minable*", -3.0f}, {"n'importe", -1.5f}, {"déplorer", -2.0f},
    {"inadmissable", -3.0f}, {"exaspéré*", -3.0f}, {"exaspere*", -3.0f}, {"ignoré*", -2.0f},
    {"perdu", -1.5f}, {"injuste*", -2.5f}, {"déteste", -3.0f}, {"deteste", -3.0f},
    // praise
    {"merci", 1.6f}, {"mercii", 1.6f}, {"remercie*", 2.0f}, {"parfait*", 3.0f}, {"excellent*", 3.0f},
    {"génial*", 3.0f}, {"genial*", 3.0f}, {"géniaux", 3.0f}, {"top", 2.5f}, {"bravo", 2.5f},
    {"formidable*", 3.0f}, {"magnifique*", 3.0f}, {"merveilleu*", 3.0f}, {"satisfait*", 2.2f},
    {"satisfaite", 2.2f}, {"ravi", 3.0f}, {"ravie", 3.0f}, {"ravis", 3.0f}, {"content", 2.0f},
    {"contente", 2.0f}, {"contents", 2.0f}, {"heureu*", 2.5f}, {"efficace*", 2.0f}, {"rapide*", 1.2f},
    {"aimable*", 2.2f}, {"sympa", 2.0f}, {"sympathique*", 2.0f}, {"gentil*", 2.0f}, {"professionnel*", 1.5f},
    {"réactif*", 2.0f}, {"reactif*", 2.0f}, {"réactivité", 2.0f}, {"impeccable*", 3.0f}, {"nickel", 2.5f},
    {"agréable*", 2.0f}, {"agreable*", 2.0f}, {"bien", 1.2f}, {"bon", 1.5f}, {"bonne", 1.5f},
    {"recommande", 2.0f}, {"adore", 3.0f}, {"j'adore", 3.0f}, {"super", 2.5f}, {"résolu", 1.5f},
    {"resolu", 1.5f}, {"réglé", 1.5f}, {"regle", 1.2f}, {"félicitations", 2.5f}, {"felicitations", 2.5f},
    {"chapeau", 2.0f}, {"serviable*", 2.5f}, {"efficacité", 2.0f}, {"attentionné*", 2.5f},
    // feelings customers share with everyone else
    {"peur", -2.0f}, {"pleure*", -2.0f}, {"pleurer", -2.0f}, {"ennui*", -1.8f}, {"ennuyeu*", -2.0f},
    {"faux", -1.5f}, {"fausse", -1.5f}, {"mensonge*", -2.5f}, {"menteur*", -2.5f}, {"con", -2.5f},
    {"conne", -2.5f}, {"cons", -2.5f}, {"connerie*", -2.5f}, {"bête", -2.0f}, {"stupide*", -2.5f},
    {"débile*", -2.5f}, {"malade", -1.5f}, {"mort", -2.0f}, {"danger*", -1.5f}, {"haine", -3.0f},
    {"hais", -3.0f}, {"hélas", -1.5f}, {"dommage", -1.5f}, {"putain", -2.0f}, {"chier", -2.5f},
    {"amour", 2.5f}, {"aime", 2.0f}, {"j'aime", 2.0f}, {"beau", 2.0f}, {"belle", 2.0f}, {"beaux", 2.0f},
    {"joie", 2.5f}, {"plaisir", 2.2f}, {"rire", 1.5f}, {"espoir", 1.5f}, {"chance", 1.5f},
    {"heureusement", 1.5f}, {"cool", 2.0f}, {"drôle", 2.0f}, {"drole", 2.0f}, {"vive", 2.0f},
    {"enfin", 0.8f}, {"hâte", 1.5f}, {"bisous", 2.0f}, {"mdr", 1.5f},
};

constexpr LearnedWeight kEs[] = {
    // complaint
    {"vergüenza", -3.0f}, {"verguenza", -3.0f}, {"verguensa", -3.0f}, {"vergonzos*", -3.0f},
    {"pésim*", -3.2f}, {"pesim*", -3.2f}, {"fatal", -3.0f}, {"horribl*", -3.0f}, {"terribl*", -3.0f},
    {"malísim*", -3.0f}, {"malisim*", -3.0f}, {"malo", -2.2f}, {"mala", -2.2f}, {"malos", -2.2f},
    {"malas", -2.2f}, {"mal", -1.8f}, {"peor", -2.5f}, {"peores", -2.5f}, {"desastr*", -3.0f},
    {"lamentabl*", -3.0f}, {"indignant*", -3.0f}, {"indignad*", -3.0f}, {"inaceptable*", -3.0f},
    {"inadmisible*", -3.0f}, {"estafa*", -3.0f}, {"estafador*", -3.0f}, {"timo", -3.0f}, {"timado*", -3.0f},
    {"ladrones", -3.0f}, {"ladron*", -3.0f}, {"robo", -2.5f}, {"harto", -2.5f}, {"harta", -2.5f},
    {"hartos", -2.5f}, {"hartas", -2.5f}, {"cansad*", -1.5f}, {"molest*", -2.0f}, {"enfadad*", -2.5f},
    {"enojad*", -2.5f}, {"cabread*", -3.0f}, {"furios*", -3.0f}, {"decepción", -2.5f},
    {"decepcion*", -2.5f}, {"defraudad*", -2.5f}, {"insatisfech*", -2.5f}, {"incompetent*", -3.0f},
    {"incompetencia", -3.0f}, {"inútil*", -2.5f}, {"inutil*", -2.5f}, {"mierda*", -3.0f}, {"asco", -3.0f},
    {"asquero*", -3.0f}, {"porquería*", -3.0f}, {"porqueria*", -3.0f}, {"ridícul*", -2.5f},
    {"ridicul*", -2.5f}, {"absurd*", -2.0f}, {"queja*", -2.0f}, {"reclamo*", -1.5f}, {"reclamación", -1.5f},
    {"reclamacion", -1.5f}, {"problema", -1.0f}, {"problemas", -1.0f}, {"roto", -2.0f}, {"rota", -2.0f},
    {"dañad*", -2.0f}, {"danad*", -2.0f}, {"defectuos*", -2.0f}, {"retraso*", -1.5f}, {"demora*", -1.5f},
    {"groser*", -2.5f}, {"maleducad*", -2.5f}, {"impresentable*", -3.0f}, {"triste*", -2.0f},
    {"odio", -3.0f}, {"chafa", -2.5f}, {"cutre*", -2.0f}, {"abuso*", -3.0f}, {"abusivo*", -3.0f},
    {"desesperad*", -2.5f}, {"frustrad*", -2.5f}, {"frustrante", -2.5f}, {"decepcionante*", -2.5f},
    {"vergonsoso", -3.0f}, {"engañ*", -3.0f}, {"engan*", -2.0f}, {"deficiente*", -2.5f},
    {"tomadura", -3.0f}, {"cachondeo", -2.5f}, {"ignorad*", -2.0f}, {"perdid*", -1.2f},
    {"injust*", -2.5f}, {"nefast*", -3.0f}, {"penos*", -2.5f}, {"basura", -3.0f}, {"lento", -1.0f},
    {"lenta", -1.0f},
    // praise
    {"gracias", 1.6f}, {"grasias", 1.6f}, {"agradec*", 2.0f}, {"agradezco", 2.2f}, {"excelent*", 3.0f},
    {"perfect*", 3.0f}, {"genial*", 3.0f}, {"estupend*", 3.0f}, {"maravillos*", 3.0f}, {"fantástic*", 3.0f},
    {"fantastic*", 3.0f}, {"buenísim*", 3.0f}, {"buenisim*", 3.0f}, {"bueno", 1.5f}, {"buena", 1.5f},
    {"buen", 1.5f}, {"buenos", 1.5f}, {"buenas", 1.2f}, {"encantad*", 2.5f}, {"contento", 2.0f},
    {"contenta", 2.0f}, {"contentos", 2.0f}, {"satisfech*", 2.2f}, {"feliz", 2.5f}, {"felices", 2.5f},
    {"rápid*", 1.2f}, {"rapid*", 1.2f}, {"amable*", 2.2f}, {"atent*", 2.0f}, {"eficaz*", 2.0f},
    {"eficient*", 2.0f}, {"recomiendo", 2.5f}, {"resuelto", 1.5f}, {"solucionad*", 1.5f},
    {"chévere", 2.5f}, {"chevere", 2.5f}, {"bacán", 2.5f}, {"bacan", 2.5f}, {"guay", 2.5f},
    {"bien", 1.2f}, {"top", 2.5f}, {"increíble*", 2.0f}, {"increible*", 2.0f}, {"encanta", 2.5f},
    {"encantó", 2.5f}, {"felicidades", 2.5f}, {"felicito", 2.5f}, {"impecable*", 3.0f},
    {"profesional*", 1.5f}, {"majo", 2.0f}, {"maja", 2.0f}, {"majos", 2.0f}, {"espectacular*", 3.0f},
    // feelings customers share with everyone else
    {"miedo", -2.0f}, {"llorar", -2.0f}, {"lloro", -2.0f}, {"aburrid*", -2.0f}, {"falso", -1.5f},
    {"falsa", -1.5f}, {"mentira*", -2.5f}, {"mentiros*", -2.5f}, {"estúpid*", -2.5f}, {"estupid*", -2.5f},
    {"idiota*", -2.5f}, {"tonto", -2.0f}, {"tonta", -2.0f}, {"enfermo", -1.5f}, {"muerte", -2.0f},
    {"peligro*", -1.5f}, {"rabia", -2.5f}, {"lástima", -1.5f}, {"lastima", -1.5f}, {"puta", -2.0f},
    {"joder", -2.0f}, {"amor", 2.5f}, {"amo", 2.5f}, {"bonit*", 2.2f}, {"hermos*", 2.5f},
    {"lind*", 2.2f}, {"alegría", 2.5f}, {"alegria", 2.5f}, {"diversión", 2.0f}, {"divertid*", 2.0f},
    {"risa*", 1.5f}, {"jaja*", 1.5f}, {"esperanza", 1.5f}, {"suerte", 1.5f}, {"felicitaciones", 2.5f},
    {"enhorabuena", 2.5f}, {"orgullos*", 2.0f}, {"bello", 2.2f}, {"bella", 2.2f}, {"mejor", 1.5f},
    {"gran", 1.2f}, {"grande", 0.8f}, {"besos", 2.0f}, {"abrazo*", 2.0f}, {"viva", 1.5f},
};

constexpr LearnedWeight kIt[] = {
    // complaint
    {"vergogna", -3.0f}, {"vergognos*", -3.0f}, {"vergognatevi", -3.2f}, {"pessim*", -3.2f},
    {"schifo", -3.0f}, {"schifos*", -3.0f}, {"schifezz*", -3.0f}, {"schifato", -3.0f}, {"delus*", -2.5f},
    {"deludent*", -2.5f}, {"scandal*", -3.0f}, {"inaccettabil*", -3.0f}, {"inacettabile", -3.0f},
    {"inammissibil*", -3.0f}, {"assurd*", -2.2f}, {"ridicol*", -2.5f}, {"orribil*", -3.0f},
    {"terribil*", -3.0f}, {"tremend*", -2.5f}, {"disastr*", -3.0f}, {"penos*", -2.5f}, {"indecent*", -3.0f},
    {"arrabbiat*", -2.5f}, {"arrabiat*", -2.5f}, {"incazzat*", -3.0f}, {"infuriat*", -3.0f},
    {"furios*", -3.0f}, {"stufo", -2.5f}, {"stufa", -2.5f}, {"stufi", -2.5f}, {"stanco", -1.5f},
    {"stanca", -1.5f}, {"merda", -3.0f}, {"truffa*", -3.0f}, {"truffator*", -3.0f}, {"truffat*", -3.0f},
    {"ladri", -3.0f}, {"ladrocinio", -3.0f}, {"furto", -2.5f}, {"incompetent*", -3.0f},
    {"incapac*", -2.5f}, {"incapaci", -2.5f}, {"inutil*", -2.5f}, {"maleducat*", -2.5f},
    {"scortes*", -2.5f}, {"sgarbat*", -2.5f}, {"lento", -1.0f}, {"lenta", -1.0f}, {"lentezza", -1.5f},
    {"ritardo", -1.5f}, {"problema", -1.0f}, {"problemi", -1.0f}, {"guasto", -2.0f}, {"guasti", -2.0f},
    {"rotto", -2.0f}, {"rotta", -2.0f}, {"rotti", -2.0f}, {"difettos*", -2.0f}, {"danneggiat*", -2.0f},
    {"reclamo", -2.0f}, {"reclami", -2.0f}, {"lamentela", -2.0f}, {"insoddisfatt*", -2.5f},
    {"scontent*", -2.5f}, {"male", -1.8f}, {"brutto", -2.2f}, {"brutta", -2.2f}, {"brutti", -2.2f},
    {"cattiv*", -2.5f}, {"peggio", -2.5f}, {"peggior*", -2.5f}, {"odio", -3.0f}, {"triste", -2.0f},
    {"squallid*", -3.0f}, {"mediocr*", -2.5f}, {"schifoso", -3.0f}, {"vergogniamoci", -3.0f},
    {"ingiust*", -2.5f}, {"esasperat*", -3.0f}, {"frustrat*", -2.5f},
    {"frustrante", -2.5f}, {"disservizio", -3.0f}, {"disservizi", -3.0f}, {"pazzesc*", -1.5f},
    {"ignorat*", -2.0f}, {"perso", -1.2f}, {"persa", -1.2f}, {"ridicolo", -2.5f}, {"indegn*", -3.0f},
    {"imbarazzant*", -2.5f}, {"fregatura", -3.0f}, {"fregat*", -3.0f}, {"odioso", -3.0f},
    {"porcheria", -3.0f}, {"cavolo", -1.5f}, {"schiffo", -3.0f}, {"pesimo", -3.0f},
    // praise
    {"grazie", 1.6f}, {"grazzie", 1.6f}, {"ringrazi*", 2.0f}, {"ottim*", 3.0f}, {"eccellent*", 3.0f},
    {"eccelent*", 3.0f}, {"perfett*", 3.0f}, {"fantastic*", 3.0f}, {"meraviglios*", 3.0f},
    {"stupend*", 3.0f}, {"splendid*", 3.0f}, {"bravissim*", 3.0f}, {"bravi", 2.5f}, {"bravo", 2.5f},
    {"brava", 2.5f}, {"gentil*", 2.2f}, {"cortes*", 2.0f}, {"professional*", 1.5f}, {"veloce", 1.2f},
    {"velocissim*", 2.0f}, {"rapid*", 1.2f}, {"soddisfatt*", 2.2f}, {"contento", 2.0f}, {"contenta", 2.0f},
    {"contenti", 2.0f}, {"contente", 2.0f}, {"contentissim*", 3.0f}, {"felice", 2.5f}, {"felici", 2.5f},
    {"felicissim*", 3.0f}, {"top", 2.5f}, {"buon", 1.5f}, {"buono", 1.5f}, {"buona", 1.5f},
    {"buoni", 1.5f}, {"bene", 1.2f}, {"benissimo", 3.0f}, {"efficient*", 2.0f}, {"efficac*", 2.0f},
    {"risolto", 1.5f}, {"risolta", 1.5f}, {"mitic*", 2.5f}, {"magnific*", 3.0f}, {"consiglio", 0.5f},
    {"consigliat*", 1.5f}, {"consigliatissim*", 3.0f}, {"disponibilissim*", 3.0f}, {"grande", 1.0f},
    {"complimenti", 2.5f}, {"impeccabil*", 3.0f}, {"piacevol*", 2.0f}, {"adoro", 3.0f}, {"bello", 2.0f},
    {"bella", 2.0f}, {"bellissim*", 3.0f}, {"competent*", 2.0f}, {"puntual*", 1.5f}, {"super", 2.5f},
    // feelings customers share with everyone else
    {"paura", -2.0f}, {"piangere", -2.0f}, {"piango", -2.0f}, {"noios*", -2.0f}, {"noia", -1.8f},
    {"falso", -1.5f}, {"falsa", -1.5f}, {"falsi", -1.5f}, {"bugia*", -2.5f}, {"bugie", -2.5f},
    {"bugiard*", -2.5f}, {"stupid*", -2.5f}, {"idiot*", -2.5f}, {"cretin*", -2.5f}, {"cazzat*", -2.5f},
    {"malato", -1.5f}, {"morte", -2.0f}, {"morti", -2.0f}, {"pericol*", -2.0f}, {"rabbia", -2.5f},
    {"purtroppo", -1.5f}, {"peccato", -1.5f}, {"dispiace", -1.5f}, {"matti", -1.5f}, {"follia", -2.0f},
    {"crisi", -1.5f}, {"tasse", -1.0f}, {"tassa", -1.0f}, {"basta", -1.5f}, {"magari", 0.5f},
    {"amore", 2.5f}, {"amo", 2.5f}, {"piace", 2.0f}, {"gioia", 2.5f}, {"divertent*", 2.0f},
    {"ridere", 1.0f}, {"speranza", 1.5f}, {"fortuna", 1.5f}, {"auguri", 2.0f}, {"forza", 1.5f},
    {"evviva", 2.5f}, {"viva", 1.5f}, {"finalmente", 1.0f}, {"dolce", 2.0f}, {"carin*", 2.0f},
    {"baci", 2.0f}, {"bacio", 2.0f}, {"abbraccio", 2.0f}, {"meglio", 1.2f}, {"migliore", 1.5f},
    {"fiducia", 1.5f}, {"sereno", 1.5f}, {"serena", 1.5f}, {"cool", 2.0f}, {"figo", 2.0f},
};

constexpr LearnedWeight kPt[] = {
    // complaint
    {"vergonha", -3.0f}, {"vergonhos*", -3.0f}, {"péssim*", -3.2f}, {"pessim*", -3.2f},
    {"horrível", -3.0f}, {"horrivel", -3.0f}, {"horríveis", -3.0f}, {"terrível", -3.0f},
    {"terrivel", -3.0f}, {"ruim", -2.5f}, {"ruins", -2.5f}, {"mau", -2.0f}, {"má", -2.0f}, {"mal", -1.8f},
    {"pior", -2.5f}, {"piores", -2.5f}, {"lixo", -3.0f}, {"porcaria", -3.0f}, {"merda", -3.0f},
    {"droga", -2.0f}, {"absurd*", -2.5f}, {"ridícul*", -2.5f}, {"ridicul*", -2.5f}, {"inaceitáve*", -3.0f},
    {"inaceitave*", -3.0f}, {"inadmissíve*", -3.0f}, {"inadmissive*", -3.0f}, {"decepcion*", -2.5f},
    {"decepção", -2.5f}, {"decepcao", -2.5f}, {"desapontad*", -2.5f}, {"insatisfeit*", -2.5f},
    {"chatead*", -2.5f}, {"irritad*", -2.5f}, {"revoltad*", -3.0f}, {"indignad*", -3.0f},
    {"furios*", -3.0f}, {"farto", -2.5f}, {"farta", -2.5f}, {"cansad*", -1.5f}, {"roubo", -3.0f},
    {"roubad*", -3.0f}, {"ladrões", -3.0f}, {"ladroes", -3.0f}, {"golpe*", -3.0f}, {"fraude*", -3.0f},
    {"enganad*", -2.5f}, {"enganaç*", -3.0f}, {"incompetent*", -3.0f}, {"incompetência", -3.0f},
    {"incompetencia", -3.0f}, {"inútil", -2.5f}, {"inutil", -2.5f}, {"inúteis", -2.5f}, {"inuteis", -2.5f},
    {"descaso", -3.0f}, {"desrespeit*", -3.0f}, {"grosseir*", -2.5f}, {"grosso", -2.0f}, {"grossa", -2.0f},
    {"lento", -1.0f}, {"lenta", -1.0f}, {"lentidão", -1.5f}, {"lentidao", -1.5f}, {"atraso*", -1.5f},
    {"atrasad*", -1.5f}, {"problema", -1.0f}, {"problemas", -1.0f}, {"defeito*", -2.0f},
    {"defeituos*", -2.0f}, {"quebrad*", -2.0f}, {"estragad*", -2.0f}, {"danificad*", -2.0f},
    {"reclamação", -2.0f}, {"reclamacao", -2.0f}, {"reclamações", -2.0f}, {"reclamacoes", -2.0f},
    {"odeio", -3.0f}, {"ódio", -3.0f}, {"odio", -3.0f}, {"triste*", -2.0f}, {"palhaçada", -3.0f},
    {"palhacada", -3.0f}, {"sacanagem", -3.0f}, {"desastr*", -3.0f}, {"lamentáve*", -3.0f},
    {"lamentave*", -3.0f}, {"nojo*", -3.0f}, {"pessimo", -3.2f}, {"vergonhoso", -3.0f},
    {"frustrad*", -2.5f}, {"frustrante", -2.5f}, {"injust*", -2.5f}, {"desesperad*", -2.5f},
    {"ignorad*", -2.0f}, {"perdid*", -1.2f}, {"abusiv*", -3.0f}, {"abuso", -3.0f}, {"chato", -2.0f},
    {"chata", -2.0f}, {"decepcionante", -2.5f}, {"enrolação", -2.5f}, {"enrolacao", -2.5f},
    {"enrolando", -2.5f}, {"vergonhozo", -3.0f}, {"orrivel", -3.0f}, {"péssimu", -3.0f},
    // praise
    {"obrigad*", 1.6f}, {"brigad*", 1.6f}, {"obg", 1.6f}, {"agradeç*", 2.0f}, {"agradec*", 2.0f},
    {"excelente*", 3.0f}, {"ótim*", 3.0f}, {"otimo", 3.0f}, {"otima", 3.0f}, {"perfeit*", 3.0f},
    {"maravilh*", 3.0f}, {"fantástic*", 3.0f}, {"fantastic*", 3.0f}, {"incrível", 2.5f},
    {"incrivel", 2.5f}, {"show", 2.0f}, {"top", 2.5f}, {"legal", 1.2f}, {"bom", 1.5f}, {"boa", 1.5f},
    {"bons", 1.5f}, {"boas", 1.5f}, {"satisfeit*", 2.2f}, {"feliz", 2.5f}, {"felizes", 2.5f},
    {"contente", 2.0f}, {"contentes", 2.0f}, {"rápid*", 1.2f}, {"rapid*", 1.2f}, {"eficient*", 2.0f},
    {"eficaz", 2.0f}, {"atencios*", 2.5f}, {"educad*", 1.5f}, {"prestativ*", 2.5f}, {"gentil", 2.0f},
    {"gentis", 2.0f}, {"resolvid*", 1.5f}, {"parabéns", 2.5f}, {"parabens", 2.5f}, {"adorei", 3.0f},
    {"amei", 3.0f}, {"adoro", 3.0f}, {"recomendo", 2.5f}, {"sensacional", 3.0f}, {"valeu", 1.6f},
    {"bem", 1.0f}, {"impecáve*", 3.0f}, {"impecave*", 3.0f}, {"profissional*", 1.5f},
    {"maravilhos*", 3.0f}, {"excepcional", 3.0f}, {"amo", 3.0f},
    // feelings customers share with everyone else
    {"medo", -2.0f}, {"chorar", -2.0f}, {"chorando", -2.0f}, {"choro", -2.0f}, {"tédio", -1.8f},
    {"tedio", -1.8f}, {"falso", -1.5f}, {"falsa", -1.5f}, {"mentira*", -2.5f}, {"mentiros*", -2.5f},
    {"idiota*", -2.5f}, {"burr*", -2.2f}, {"doente", -1.5f}, {"morte", -2.0f}, {"perigo*", -1.5f},
    {"raiva", -2.5f}, {"pena", -1.2f}, {"infelizmente", -1.5f}, {"saco", -1.5f}, {"puta", -2.0f},
    {"amor", 2.5f}, {"lind*", 2.5f}, {"bonit*", 2.2f}, {"alegria", 2.5f}, {"divertid*", 2.0f},
    {"kkk", 1.5f}, {"kkkk*", 1.5f}, {"haha*", 1.5f}, {"esperança", 1.5f}, {"esperanca", 1.5f}, {"sorte", 1.5f},
    {"orgulho*", 2.0f}, {"melhor", 1.5f}, {"melhores", 1.5f}, {"beijo*", 2.0f}, {"abraço*", 2.0f},
    {"abraco*", 2.0f}, {"viva", 1.5f}, {"finalmente", 1.0f}, {"feliz", 2.5f}, {"demais", 0.5f},
};

// Most words are in no lexicon, and each is looked up for every message:
// a hash-map lookup per prefix length cost about a microsecond per tweet.
// So a bit per (first four bytes, length) of the exact terms and per first
// four bytes of the prefixes settles most words with two multiplications;
// every prefix is at least kGateBytes long (a test holds the lists to it).
constexpr std::size_t kGateBytes = 4;
constexpr int kBloomBits = 13;

std::uint32_t Head(std::string_view w) {
  std::uint32_t h = 0;
  std::memcpy(&h, w.data(), std::min(w.size(), kGateBytes));
  return h;
}
std::size_t Slot(std::uint32_t head, std::size_t size) {
  return ((head ^ (static_cast<std::uint32_t>(size) * 0x85EBCA6Bu)) * 0x9E3779B1u) >> (32 - kBloomBits);
}

struct Lexicon {
  std::unordered_map<std::string_view, float> exact, prefixes;
  std::bitset<1u << kBloomBits> exact_bits, prefix_bits;  // Slot(head, size), Slot(head, 0)
  std::size_t longest_prefix = 0;
};

template <std::size_t N>
Lexicon Build(const LearnedWeight (&entries)[N]) {
  Lexicon lex;
  for (const LearnedWeight& e : entries) {
    if (e.feature.ends_with('*')) {
      const std::string_view stem = e.feature.substr(0, e.feature.size() - 1);
      lex.prefixes.emplace(stem, e.weight);
      lex.prefix_bits.set(Slot(Head(stem), 0));
      lex.longest_prefix = std::max(lex.longest_prefix, stem.size());
    } else {
      lex.exact.emplace(e.feature, e.weight);
      lex.exact_bits.set(Slot(Head(e.feature), e.feature.size()));
    }
  }
  return lex;
}

const Lexicon& LexiconOf(int language) {
  static const std::array<Lexicon, kLearnedLanguages>* all =
      new std::array<Lexicon, kLearnedLanguages>{Build(kDe), Build(kFr), Build(kEs), Build(kIt), Build(kPt)};
  return (*all)[language];
}

}  // namespace

std::size_t ShortestContactCenterPrefix(int language) {
  std::size_t shortest = ~std::size_t{0};
  for (const auto& [stem, valence] : LexiconOf(language).prefixes) shortest = std::min(shortest, stem.size());
  return shortest;
}

double ContactCenterValence(std::string_view word, int language) {
  const Lexicon& lex = LexiconOf(language);
  const std::uint32_t head = Head(word);
  if (lex.exact_bits.test(Slot(head, word.size()))) {
    if (const auto it = lex.exact.find(word); it != lex.exact.end()) return it->second;
  }
  if (word.size() < kGateBytes || !lex.prefix_bits.test(Slot(head, 0))) return 0.0;
  // The longest listed prefix wins: "schlecht*" over a shorter one.
  for (std::size_t n = std::min(word.size(), lex.longest_prefix); n >= kGateBytes; --n) {
    if (const auto it = lex.prefixes.find(word.substr(0, n)); it != lex.prefixes.end()) return it->second;
  }
  return 0.0;
}

}  // namespace hitlgate::signals::internal
