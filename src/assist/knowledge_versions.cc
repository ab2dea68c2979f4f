#include "hitlgate/assist/knowledge_versions.h"

#include <algorithm>

#include "hitlgate/crypto/hash.h"

namespace hitlgate::assist {
namespace {

store::KnowledgeVersion NewVersion(const Knowledge& knowledge, const std::string& actor, TimePoint at) {
  std::string document = EncodeKnowledge(knowledge);
  std::string id = "sha256:" + crypto::Sha256Hex(document);
  return store::KnowledgeVersion{std::move(id), std::move(document), actor, at,
                                 static_cast<std::int64_t>(knowledge.procedures.size()),
                                 static_cast<std::int64_t>(knowledge.articles.size())};
}

Result<store::KnowledgeVersionInfo> WithoutDocument(Result<store::KnowledgeVersionInfo> info) {
  if (info) info->version.document_json.clear();
  return info;
}

}  // namespace

KnowledgeVersions::KnowledgeVersions(store::KnowledgeStore& store, AssistService& service, std::string served_id)
    : store_(store), service_(service), served_id_(std::move(served_id)) {}

Result<store::KnowledgeVersionInfo> KnowledgeVersions::ActiveOnStart(store::KnowledgeStore& store,
                                                                     const std::optional<Knowledge>& file,
                                                                     const std::string& file_name, TimePoint now,
                                                                     std::string& log) {
  auto active = store.GetActiveKnowledge();
  if (!active && active.error().code() != ErrorCode::kNotFound) return active;
  if (!file) {
    if (!active) {
      return NotFound("agent assist has no procedures: no version is stored; give --assist-knowledge FILE");
    }
    log = "agent assist: knowledge " + active->version.id + " from the store";
    return active;
  }
  store::KnowledgeVersion version = NewVersion(*file, "serve --assist-knowledge", now);
  if (active && active->version.id == version.id) {
    log = "agent assist: " + file_name + " is the active knowledge version " + version.id + " already";
    return active;
  }
  HITLGATE_RETURN_IF_ERROR(store.SaveKnowledgeVersion(version));
  HITLGATE_RETURN_IF_ERROR(store.ActivateKnowledge(version.id, version.uploaded_by, now));
  // An older version's file is stored already (nothing is written then) and activated again.
  log = "agent assist: " + file_name + " differs from the active knowledge version (" +
        (active ? active->version.id : std::string("none")) + "): stored and activated as " + version.id;
  return store.GetActiveKnowledge();
}

Result<store::KnowledgeVersionInfo> KnowledgeVersions::Upload(std::string_view document_json,
                                                              const std::string& actor, TimePoint at) {
  auto knowledge = ParseKnowledge(document_json);
  HITLGATE_RETURN_IF_ERROR(knowledge);
  store::KnowledgeVersion version = NewVersion(*knowledge, actor, at);
  std::lock_guard lock(mu_);
  if (version.id == served_id_) return WithoutDocument(store_.GetKnowledgeVersion(version.id));
  HITLGATE_RETURN_IF_ERROR(store_.SaveKnowledgeVersion(version));
  return ServeAndActivate(std::move(*knowledge), version.id, actor, at);
}

Result<store::KnowledgeVersionInfo> KnowledgeVersions::Activate(const std::string& id, const std::string& actor,
                                                                TimePoint at) {
  std::lock_guard lock(mu_);
  auto stored = store_.GetKnowledgeVersion(id);
  HITLGATE_RETURN_IF_ERROR(stored);
  auto knowledge = ParseKnowledge(stored->version.document_json);
  if (!knowledge) {
    return MakeError(ErrorCode::kDataLoss, "stored knowledge version " + id + " no longer parses: " +
                                               knowledge.error().message());
  }
  return ServeAndActivate(std::move(*knowledge), id, actor, at);
}

Result<store::KnowledgeVersionInfo> KnowledgeVersions::ServeAndActivate(Knowledge knowledge, const std::string& id,
                                                                        const std::string& actor, TimePoint at) {
  Knowledge previous = service_.CurrentKnowledge();
  HITLGATE_RETURN_IF_ERROR(service_.ReplaceKnowledge(std::move(knowledge)));
  if (auto activated = store_.ActivateKnowledge(id, actor, at); !activated) {
    (void)service_.ReplaceKnowledge(std::move(previous));
    return std::unexpected(activated.error());
  }
  served_id_ = id;
  return WithoutDocument(store_.GetKnowledgeVersion(id));
}

Result<bool> KnowledgeVersions::FollowActive() {
  // Read under the lock an upload or activation here holds across its
  // write: a list read before a local activation, compared after it, would
  // put the version it replaced back.
  std::lock_guard lock(mu_);
  // The list carries no documents: a cheap read every tick, and the
  // document is read only when the active version changed.
  auto versions = store_.ListKnowledgeVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  auto listed = std::find_if(versions->begin(), versions->end(),
                             [](const store::KnowledgeVersionInfo& v) { return v.active; });
  if (listed == versions->end() || listed->version.id == served_id_) return false;
  auto active = store_.GetKnowledgeVersion(listed->version.id);
  HITLGATE_RETURN_IF_ERROR(active);
  auto knowledge = ParseKnowledge(active->version.document_json);
  if (!knowledge) {
    return MakeError(ErrorCode::kDataLoss, "active knowledge version " + active->version.id +
                                               " does not parse here: " + knowledge.error().message());
  }
  // Served, not activated again: the node that activated it wrote that.
  HITLGATE_RETURN_IF_ERROR(service_.ReplaceKnowledge(std::move(*knowledge)));
  served_id_ = active->version.id;
  return true;
}

Result<store::KnowledgeVersionInfo> KnowledgeVersions::Served() {
  std::string id;
  {
    std::lock_guard lock(mu_);
    id = served_id_;
  }
  return WithoutDocument(store_.GetKnowledgeVersion(id));
}

Result<std::vector<store::KnowledgeVersionInfo>> KnowledgeVersions::List() { return store_.ListKnowledgeVersions(); }

}  // namespace hitlgate::assist
