// Loads agent assist for `serve`: the model from --assist-model, the
// procedures and articles from the store's active knowledge version
// (--assist-knowledge FILE becomes a new version when it differs from it).
#pragma once

#include <memory>

#include "hitlgate/assist/assist_service.h"
#include "hitlgate/assist/knowledge_versions.h"
#include "hitlgate/store/store.h"
#include "server/serve.h"

namespace hitlgate::server {

struct LoadedAssist {
  std::unique_ptr<assist::AssistService> service;  // null: assist is off
  std::unique_ptr<assist::KnowledgeVersions> versions;
};

// Off when neither flag is given. InvalidArgument when only
// --assist-knowledge is, or a file is wrong (the message names it); NotFound
// when --assist-model is given and neither the store nor a file has knowledge.
// Prints what it loaded.
[[nodiscard]] Result<LoadedAssist> LoadAssist(const ServeOptions& options, store::Store& store, TimePoint now);

}  // namespace hitlgate::server
