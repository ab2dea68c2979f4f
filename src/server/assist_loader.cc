#include "server/assist_loader.h"

#include <cstdio>

#include "hitlgate/store/postgres_article_index.h"
#include "hitlgate/store/sqlite_article_index.h"
#include "server/store_factory.h"

namespace hitlgate::server {

Result<LoadedAssist> LoadAssist(const ServeOptions& options, store::Store& store, TimePoint now) {
  if (options.assist_model.empty() && options.assist_knowledge.empty()) return LoadedAssist{};
  if (options.assist_model.empty()) {
    return InvalidArgument("--assist-knowledge needs --assist-model (a model from `hitlgate assist train`)");
  }
  std::optional<assist::Knowledge> file;
  if (!options.assist_knowledge.empty()) {
    auto read = assist::ReadKnowledgeFile(options.assist_knowledge);
    HITLGATE_RETURN_IF_ERROR(read);
    file = std::move(*read);
  }
  std::string log;
  auto active = assist::KnowledgeVersions::ActiveOnStart(store, file, options.assist_knowledge, now, log);
  HITLGATE_RETURN_IF_ERROR(active);
  auto knowledge = assist::ParseKnowledge(active->version.document_json);
  if (!knowledge) {
    return MakeError(ErrorCode::kDataLoss, "the active knowledge version " + active->version.id +
                                               " no longer parses: " + knowledge.error().message());
  }
  auto model = assist::NextActionModel::Load(options.assist_model, *knowledge);
  HITLGATE_RETURN_IF_ERROR(model);
  // The store's own full-text engine: PostgreSQL's in a cluster, else SQLite's FTS5 (in memory).
  auto index = IsSharedStore(options.store_url) ? store::OpenPostgresArticleIndex(options.store_url)
                                                : store::OpenSqliteArticleIndex();
  HITLGATE_RETURN_IF_ERROR(index);
  LoadedAssist loaded;
  loaded.service = std::make_unique<assist::AssistService>(std::move(*model), std::move(*index));
  HITLGATE_RETURN_IF_ERROR(loaded.service->Start());
  loaded.versions = std::make_unique<assist::KnowledgeVersions>(store, *loaded.service, active->version.id);
  std::printf("hitlgate: %s\n", log.c_str());
  return loaded;
}

}  // namespace hitlgate::server
