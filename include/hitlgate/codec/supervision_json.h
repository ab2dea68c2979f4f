// JSON of SupervisionService's answers as the API sends them
// (docs/openapi.yaml: /v1/workflows*, /v1/interactions/{id}/hold-next,
// takeover, handback, /v1/stats) and of its live events.
#pragma once

#include <string>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/gateway/supervision_types.h"

namespace hitlgate::codec {

// {kind, target, workflow?, interaction_id?, actor, reason, at}
void WriteControl(const store::Control& c, JsonWriter& w);
// A control set: WriteControl's object; cleared: {kind, target, cleared: true}.
std::string ControlChangeJson(const gateway::ControlChange& change);
// {workflows:[{name, paused, paused_by?, paused_at?, reason?, paused_by_name?}], controls:[...]}
std::string WorkflowBoardJson(const gateway::WorkflowBoard& board);
// {window_seconds, at, workflows:[...], alerts:[...]}
std::string LiveStatsJson(const gateway::LiveStatsReport& report);

}  // namespace hitlgate::codec
