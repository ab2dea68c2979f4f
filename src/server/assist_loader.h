// Loads agent assist for `serve` from --assist-model and --assist-knowledge.
#pragma once

#include <memory>

#include "hitlgate/assist/assist_service.h"
#include "server/serve.h"

namespace hitlgate::server {

// Null when neither flag is given. InvalidArgument when only one is, or a
// file is wrong (the message names it).
[[nodiscard]] Result<std::unique_ptr<assist::AssistService>> LoadAssist(const ServeOptions& options);

}  // namespace hitlgate::server
