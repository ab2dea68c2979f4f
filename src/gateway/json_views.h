// JSON views of the store's records as the API shows them (policy
// versions). Internal to src/gateway. Tasks and
// verdicts: hitlgate/codec/review_json.h.
#pragma once

#include <string>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

void WritePolicyInfo(const store::PolicyVersionInfo& p, codec::JsonWriter& w, bool with_source);

}  // namespace hitlgate::gateway
