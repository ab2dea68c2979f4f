#include "server/assist_loader.h"

#include "hitlgate/store/sqlite_article_index.h"

namespace hitlgate::server {

Result<std::unique_ptr<assist::AssistService>> LoadAssist(const ServeOptions& options) {
  if (options.assist_model.empty() && options.assist_knowledge.empty()) {
    return std::unique_ptr<assist::AssistService>();
  }
  if (options.assist_model.empty() || options.assist_knowledge.empty()) {
    return InvalidArgument("agent assist needs both --assist-model and --assist-knowledge");
  }
  auto knowledge = assist::ReadKnowledgeFile(options.assist_knowledge);
  HITLGATE_RETURN_IF_ERROR(knowledge);
  auto model = assist::NextActionModel::Load(options.assist_model, *knowledge);
  HITLGATE_RETURN_IF_ERROR(model);
  auto index = store::OpenSqliteArticleIndex();
  HITLGATE_RETURN_IF_ERROR(index);
  auto service = std::make_unique<assist::AssistService>(std::move(*model), std::move(*index));
  HITLGATE_RETURN_IF_ERROR(service->Start());
  return service;
}

}  // namespace hitlgate::server
