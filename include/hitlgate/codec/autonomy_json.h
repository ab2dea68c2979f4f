// JSON of earned autonomy's values: a key's evidence and a level change, as
// GET /v1/autonomy, the "autonomy.changed" live update, the
// "autonomy_changed" audit record and a sign-off task's context show them
// (docs/autonomy.md).
#pragma once

#include <string>

#include "hitlgate/autonomy/tracker.h"
#include "hitlgate/codec/json_writer.h"

namespace hitlgate::codec {

void WriteEvidence(const autonomy::Evidence& e, JsonWriter& w);
void WriteLevelChange(const autonomy::LevelChange& c, JsonWriter& w);
std::string LevelChangeJson(const autonomy::LevelChange& c);

}  // namespace hitlgate::codec
