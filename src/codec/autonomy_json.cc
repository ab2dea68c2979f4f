#include "hitlgate/codec/autonomy_json.h"

namespace hitlgate::codec {

void WriteEvidence(const autonomy::Evidence& e, JsonWriter& w) {
  w.BeginObject();
  w.Field("cases", e.cases);
  w.Field("agreed", e.agreed);
  w.Key("agreement").Number(e.cases > 0 ? static_cast<double>(e.agreed) / e.cases : 0.0, 4);
  w.Key("wilson_lower").Number(e.lower, 4);
  w.Key("wilson_upper").Number(e.upper, 4);
  w.Key("cusum").Number(e.cusum, 3);
  w.Field("since_change", e.since_change);
  w.Field("audit_flags", e.audit_flags);
  w.EndObject();
}

void WriteLevelChange(const autonomy::LevelChange& c, JsonWriter& w) {
  w.BeginObject();
  w.Field("workflow", c.key.workflow);
  w.Field("subject", c.key.subject);
  w.Field("from", engine::OversightName(c.from));
  w.Field("to", engine::OversightName(c.to));
  w.Field("promotion", c.promotion);
  w.Field("reason", c.reason);
  w.Key("evidence");
  WriteEvidence(c.evidence, w);
  w.EndObject();
}

std::string LevelChangeJson(const autonomy::LevelChange& c) {
  JsonWriter w;
  WriteLevelChange(c, w);
  return w.Take();
}

}  // namespace hitlgate::codec
