// KnowledgeVersions: agent assist's procedures and articles kept in the store
// and versioned like policies (docs/assist.md). An upload is parsed, written
// canonically (its id is the sha256 of that text), stored, served and
// activated; an older version can be activated again. Every upload and
// activation is an audit record the store writes. What this gateway serves is
// the version it last activated or loaded at start. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/assist/assist_service.h"
#include "hitlgate/assist/knowledge.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/store/store.h"

namespace hitlgate::assist {

class KnowledgeVersions {
 public:
  KnowledgeVersions(store::KnowledgeStore& store, AssistService& service, std::string served_id);

  // The version to serve when `serve` starts: the store's active one; `file`
  // (from --assist-knowledge) is stored and activated first when it differs
  // from it. `log` gets one line saying which happened. NotFound: neither.
  [[nodiscard]] static Result<store::KnowledgeVersionInfo> ActiveOnStart(store::KnowledgeStore& store,
                                                                         const std::optional<Knowledge>& file,
                                                                         const std::string& file_name, TimePoint now,
                                                                         std::string& log);

  // InvalidArgument (naming the field) for a bad document: nothing stored.
  // The document served now is answered as it is, without writing.
  [[nodiscard]] Result<store::KnowledgeVersionInfo> Upload(std::string_view document_json, const std::string& actor,
                                                           TimePoint at);
  // NotFound: no such version.
  [[nodiscard]] Result<store::KnowledgeVersionInfo> Activate(const std::string& id, const std::string& actor,
                                                             TimePoint at);
  // Another node of a cluster may activate a version in the shared store:
  // serves the store's active version when it is not the one served here.
  // True when it changed. DataLoss: the active version does not parse (the
  // one served stays).
  [[nodiscard]] Result<bool> FollowActive();
  // The version this gateway serves, without its document.
  [[nodiscard]] Result<store::KnowledgeVersionInfo> Served();
  [[nodiscard]] Result<std::vector<store::KnowledgeVersionInfo>> List();

 private:
  // Serves `knowledge` as version `id` and activates it in the store; on a
  // failed activation the previous knowledge is served again.
  Result<store::KnowledgeVersionInfo> ServeAndActivate(Knowledge knowledge, const std::string& id,
                                                       const std::string& actor, TimePoint at);

  store::KnowledgeStore& store_;
  AssistService& service_;
  std::mutex mu_;  // one upload or activation at a time
  std::string served_id_;
};

}  // namespace hitlgate::assist
