// Strict JSON: Boost.JSON (1.81) keeps the last of duplicate keys without a
// word, while the raw text is what the store keeps and others re-parse; two
// readers could then see two different events. Every body is checked first.
// Internal to src/codec.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hitlgate::codec::internal {

// The first key that appears twice in one object, as a path ("action.params.
// order_id"); nullopt when there is none or the text is not JSON (the real
// parse reports that).
std::optional<std::string> FindDuplicateKey(std::string_view text);

}  // namespace hitlgate::codec::internal
