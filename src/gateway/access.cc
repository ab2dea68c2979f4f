#include "gateway/access.h"

#include <algorithm>
#include <set>

namespace hitlgate::gateway {

Result<std::string> ResolveWorkflow(const store::InteractionRecord& r, const Principal& who,
                                    const std::string& named, std::string_view how_to_name) {
  if (!named.empty()) {
    HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, named));
    return named;
  }
  std::set<std::string> workflows;
  for (const store::StoredDecision& d : r.decisions) {
    if (who.CoversWorkflow(d.record.workflow)) workflows.insert(d.record.workflow);
  }
  if (workflows.empty()) {
    if (r.decisions.empty()) return NotFound("no interaction " + r.interaction_id);
    return MakeError(ErrorCode::kPermissionDenied,
                     "this key may not act for the workflow of interaction " + r.interaction_id);
  }
  if (workflows.size() > 1) {
    std::string names;
    for (const std::string& w : workflows) names += (names.empty() ? "" : ", ") + w;
    return InvalidArgument("interaction '" + r.interaction_id + "' exists in several workflows (" + names +
                           "): name one with " + std::string(how_to_name));
  }
  return *workflows.begin();
}

void KeepWorkflow(store::InteractionRecord* r, const std::string& workflow) {
  std::erase_if(r->decisions, [&](const store::StoredDecision& d) { return d.record.workflow != workflow; });
  std::erase_if(r->tasks, [&](const store::Task& t) { return t.workflow != workflow; });
}

void KeepCovered(store::InteractionRecord* r, const Principal& who) {
  if (who.CoversAllWorkflows()) return;
  std::erase_if(r->decisions, [&](const store::StoredDecision& d) { return !who.CoversWorkflow(d.record.workflow); });
  std::erase_if(r->tasks, [&](const store::Task& t) { return !who.CoversWorkflow(t.workflow); });
}

}  // namespace hitlgate::gateway
