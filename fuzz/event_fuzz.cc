// Fuzz target for event parsing (src/codec): codec::ParseEvent must never
// crash, hang or throw, whatever the bytes; and whatever it accepts must
// survive a round trip: EncodeEvent's output parses again (when it still fits
// the size limit). A round trip that does not parse aborts, so the driver (or
// libFuzzer) reports it as a crash.
//
// The encoding should also be a fixed point (encode(parse(encode(e))) ==
// encode(e)). It is not yet for numbers with more than 17 significant digits
// in action params (Boost.JSON 1.81 does not round them correctly, while the
// writer prints the shortest round trip; see corpus/event/18-long-mantissa.json),
// so that check warns once, and aborts only with HITLGATE_FUZZ_STRICT=1.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hitlgate/codec/json.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "event_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hitlgate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto event = codec::ParseEvent(text);
  if (!event) {
    (void)event.error().message().size();
    return 0;
  }
  const std::string encoded = codec::EncodeEvent(*event);
  // Escaping can grow a text past the limit (a control byte becomes \u00XX);
  // such an event is rightly refused, so there is no round trip to check.
  if (encoded.size() > codec::kMaxEventBytes) return 0;
  auto again = codec::ParseEvent(encoded);
  if (!again) Fail("the encoding of an accepted event does not parse", again.error().message());
  const std::string reencoded = codec::EncodeEvent(*again);
  if (reencoded != encoded) {
    static const bool strict = [] {
      const char* v = std::getenv("HITLGATE_FUZZ_STRICT");
      return v != nullptr && std::string_view(v) == "1";
    }();
    if (strict) Fail("encoding is not stable across a round trip", reencoded);
    static bool warned = false;
    if (!warned) {
      warned = true;
      std::fprintf(stderr,
                   "event_fuzz: warning: encoding not stable across a round trip "
                   "(HITLGATE_FUZZ_STRICT=1 makes this fatal):\n  %s\n  %s\n",
                   encoded.c_str(), reencoded.c_str());
    }
  }
  return 0;
}
