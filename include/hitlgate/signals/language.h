// Which language a customer's message is in, for the `language` signal,
// policy conditions and reviewer routing. Pure function: thread-safe.
#pragma once

#include <string_view>

namespace hitlgate::signals {

// ISO 639-1 code of the text's language ("en", "de", "fr", "es", "it", "pt",
// or any other CLD2 knows), or "" when the text says too little to tell.
// Never throws; any bytes are accepted (invalid UTF-8 is cut off where it
// starts). The returned view points at static storage.
std::string_view DetectLanguage(std::string_view text);

}  // namespace hitlgate::signals
