// PersonalDataMasker: replaces personal data in free text with placeholders
// before feedback leaves the gateway for retraining. Built in: e-mail
// addresses (<EMAIL>), IBANs that pass the ISO 13616 mod-97 check (<IBAN>),
// card numbers of 13-19 digits that pass the Luhn check (<CARD>), and phone
// numbers (<PHONE>: 7-15 digits written as a phone number, i.e. with a
// leading '+'/'00', a bracketed area code or separators; a bare digit run
// such as an order number is left alone). Callers add their own patterns.
//
// Checksums keep false positives down: a 16-digit order number that fails
// Luhn stays, so the examples keep what makes them useful.
//
// Immutable after Create(); Mask() is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::learning {

struct MaskOptions {
  bool emails = true;
  bool phones = true;
  bool cards = true;
  bool ibans = true;
  // Extra RE2 patterns, each "REGEX" (replaced by <REDACTED>) or
  // "LABEL=REGEX" with LABEL in [A-Z0-9_]+ (replaced by <LABEL>).
  std::vector<std::string> patterns;
};

// Counts of what one Mask() call replaced, for reports and tests.
struct MaskCounts {
  int emails = 0;
  int phones = 0;
  int cards = 0;
  int ibans = 0;
  int custom = 0;
  int total() const { return emails + phones + cards + ibans + custom; }
};

class PersonalDataMasker {
 public:
  // InvalidArgument naming the pattern when an extra pattern does not compile.
  [[nodiscard]] static Result<std::unique_ptr<PersonalDataMasker>> Create(const MaskOptions& options);
  virtual ~PersonalDataMasker() = default;

  // The text with every match replaced; `counts` (optional) is incremented.
  virtual std::string Mask(std::string_view text, MaskCounts* counts = nullptr) const = 0;
};

// The checksums, exposed for tests and other validators.
// `digits` holds only '0'-'9'.
bool LuhnValid(std::string_view digits);
// `iban` holds only letters and digits (no spaces), any case.
bool IbanValid(std::string_view iban);

}  // namespace hitlgate::learning
