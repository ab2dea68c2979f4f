// Glob matching for names: '*' matches any run of characters (also none);
// every other character matches itself. No regex, no allocation, linear in
// practice (iterative with single backtrack point). Pure; thread-safe.
#pragma once

#include <string_view>

namespace hitlgate::policy::eval {

bool GlobMatch(std::string_view pattern, std::string_view text);
inline bool IsGlob(std::string_view name) { return name.find('*') != std::string_view::npos; }

}  // namespace hitlgate::policy::eval
