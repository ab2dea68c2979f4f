// Personal-data masking with RE2 candidates and checksum confirmation.
#include "hitlgate/learning/masking.h"

#include <re2/re2.h>

#include <cctype>
#include <functional>

namespace hitlgate::learning {
namespace {

std::string DigitsOf(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

// How much of a candidate match `m` (at `start` in `text`) to replace; 0 rejects it.
using Acceptor = std::function<size_t(std::string_view text, size_t start, std::string_view m)>;

// Replaces every accepted match of `re` in `text` with `token`. A rejected
// candidate is retried one character later, so a valid number inside a
// longer run of digits is still found where the pattern allows it.
int ReplaceAccepted(const RE2& re, std::string* text, std::string_view token, const Acceptor& accept) {
  const std::string& in = *text;
  std::string out;
  int replaced = 0;
  size_t pos = 0;       // next position to search from
  size_t copied = 0;    // input before this was copied to `out`
  re2::StringPiece input(in);
  re2::StringPiece match;
  while (pos < in.size() && re.Match(input, pos, in.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t start = static_cast<size_t>(match.data() - in.data());
    const size_t keep = accept(in, start, std::string_view(match.data(), match.size()));
    if (keep == 0) {
      pos = start + 1;
      continue;
    }
    out.append(in, copied, start - copied);
    out.append(token);
    copied = pos = start + keep;
    ++replaced;
  }
  if (replaced == 0) return 0;
  out.append(in, copied, std::string::npos);
  *text = std::move(out);
  return replaced;
}

// A date such as 2024-05-01 or 01.05.2024 looks like a formatted number.
bool LooksLikeDate(std::string_view s) {
  static const RE2* date = new RE2(R"(^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *date);
}

// True when the digits at `start` continue an IBAN-shaped code ("DE88 3704 0044 ..."
// that failed its checksum): those are account data, not a phone number.
bool ContinuesIbanShape(std::string_view text, size_t start) {
  size_t i = start;
  while (i > 0) {
    const unsigned char c = static_cast<unsigned char>(text[i - 1]);
    if (!(std::isupper(c) || std::isdigit(c) || c == ' ')) break;
    --i;
  }
  std::string_view chain = text.substr(i, start - i);
  while (!chain.empty() && chain.front() == ' ') chain.remove_prefix(1);
  return chain.size() >= 4 && std::isupper(static_cast<unsigned char>(chain[0])) &&
         std::isupper(static_cast<unsigned char>(chain[1])) &&
         std::isdigit(static_cast<unsigned char>(chain[2])) &&
         std::isdigit(static_cast<unsigned char>(chain[3]));
}

size_t AcceptPhone(std::string_view text, size_t start, std::string_view m) {
  if (ContinuesIbanShape(text, start)) return 0;
  const size_t digits = DigitsOf(m).size();
  if (digits < 7 || digits > 15) return 0;
  const bool international = m.front() == '+' || m.starts_with("00");
  const bool formatted = m.find_first_of("() -./") != std::string_view::npos;
  // A bare run of digits is an order or customer number more often than a
  // phone number; only numbers written the way phone numbers are written count.
  if (!international && !formatted) return 0;
  if (LooksLikeDate(m)) return 0;
  return m.size();
}

size_t AcceptCard(std::string_view, size_t, std::string_view m) {
  const std::string digits = DigitsOf(m);
  if (digits.size() < 13 || digits.size() > 19) return 0;
  return LuhnValid(digits) ? m.size() : 0;
}

std::string Alnum(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

size_t AcceptIban(std::string_view, size_t, std::string_view m) {
  // The pattern may run into a following word written in capitals: drop
  // trailing space-separated groups until the checksum holds.
  while (true) {
    const std::string compact = Alnum(m);
    if (compact.size() < 15) return 0;
    if (IbanValid(compact)) return m.size();
    const size_t space = m.rfind(' ');
    if (space == std::string_view::npos) return 0;
    m = m.substr(0, space);
  }
}

struct CustomPattern {
  std::unique_ptr<RE2> re;
  std::string token;
};

class RegexMasker final : public PersonalDataMasker {
 public:
  RegexMasker(const MaskOptions& options, std::vector<CustomPattern> custom)
      : options_(options),
        custom_(std::move(custom)),
        email_(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"),
        iban_(R"(\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{1,4}){3,8}\b)"),
        card_(R"(\b[0-9](?:[ \-]?[0-9]){12,18}\b)"),
        phone_(R"((?:\+[0-9]|\([0-9]|\b[0-9])[0-9 ().\-/]{5,22}[0-9]\b)") {}

  std::string Mask(std::string_view text, MaskCounts* counts) const override {
    std::string out(text);
    MaskCounts local;
    for (const CustomPattern& p : custom_) {
      local.custom += ReplaceAccepted(*p.re, &out, p.token,
                                      [](std::string_view, size_t, std::string_view m) { return m.size(); });
    }
    if (options_.emails) {
      local.emails += ReplaceAccepted(email_, &out, "<EMAIL>", [](std::string_view, size_t, std::string_view m) { return m.size(); });
    }
    if (options_.ibans) local.ibans += ReplaceAccepted(iban_, &out, "<IBAN>", AcceptIban);
    if (options_.cards) local.cards += ReplaceAccepted(card_, &out, "<CARD>", AcceptCard);
    if (options_.phones) local.phones += ReplaceAccepted(phone_, &out, "<PHONE>", AcceptPhone);
    if (counts != nullptr) {
      counts->emails += local.emails;
      counts->phones += local.phones;
      counts->cards += local.cards;
      counts->ibans += local.ibans;
      counts->custom += local.custom;
    }
    return out;
  }

 private:
  MaskOptions options_;
  std::vector<CustomPattern> custom_;
  RE2 email_;
  RE2 iban_;
  RE2 card_;
  RE2 phone_;
};

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool IbanValid(std::string_view iban) {
  // ISO 13616: 15..34 characters, country letters, check digits; moving the
  // first four to the end and reading letters as 10..35 gives 1 mod 97.
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!std::isalpha(static_cast<unsigned char>(iban[0])) ||
      !std::isalpha(static_cast<unsigned char>(iban[1])) ||
      !std::isdigit(static_cast<unsigned char>(iban[2])) ||
      !std::isdigit(static_cast<unsigned char>(iban[3]))) {
    return false;
  }
  int remainder = 0;
  auto feed = [&](char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (std::isalpha(u)) {
      const int v = std::toupper(u) - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (size_t i = 4; i < iban.size(); ++i) {
    if (!feed(iban[i])) return false;
  }
  for (size_t i = 0; i < 4; ++i) {
    if (!feed(iban[i])) return false;
  }
  return remainder == 1;
}

Result<std::unique_ptr<PersonalDataMasker>> PersonalDataMasker::Create(const MaskOptions& options) {
  static const RE2* labeled = new RE2(R"(^([A-Z0-9_]+)=(.+)$)");
  std::vector<CustomPattern> custom;
  for (const std::string& spec : options.patterns) {
    std::string label, regex;
    if (!RE2::FullMatch(spec, *labeled, &label, &regex)) {
      label = "REDACTED";
      regex = spec;
    }
    if (regex.empty()) return InvalidArgument("mask pattern '" + spec + "': empty");
    RE2::Options ro;
    ro.set_log_errors(false);
    auto re = std::make_unique<RE2>(regex, ro);
    if (!re->ok()) return InvalidArgument("mask pattern '" + spec + "': " + re->error());
    custom.push_back({std::move(re), "<" + label + ">"});
  }
  return std::make_unique<RegexMasker>(options, std::move(custom));
}

}  // namespace hitlgate::learning
