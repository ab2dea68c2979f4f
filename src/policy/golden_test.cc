// Golden tests. Every test/testdata/policies/*.yaml is compiled and the
// issues it prints (as `policy check` would) are compared with the .baseline
// beside it; HITLGATE_UPDATE_GOLDEN=1 rewrites the baselines. The example
// policies must compile with no issue at all, and their case files must parse.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/policy/policy.h"
#include "hitlgate/policy/test_cases.h"

namespace hitlgate::policy {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> Files(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(suffix)) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What `policy check` shows for one file, with the file named by its base name.
std::string CheckOutput(const fs::path& path) {
  const std::string name = path.filename().string();
  CompileResult r = CompileText(ReadFile(path), name);
  std::string out;
  for (const Issue& issue : r.issues) out += issue.ToString() + "\n";
  out += r.ok() ? name + ": ok\n" : name + ": failed\n";
  return out;
}

TEST(PolicyGoldenTest, BrokenPoliciesPrintTheirBaseline) {
  const fs::path dir = fs::path(HITLGATE_SOURCE_DIR) / "test/testdata/policies";
  const char* update = std::getenv("HITLGATE_UPDATE_GOLDEN");
  const bool rewrite = update != nullptr && std::string(update) == "1";
  const std::vector<fs::path> policies = Files(dir, ".yaml");
  ASSERT_GE(policies.size(), 5u);
  for (const fs::path& policy : policies) {
    const std::string got = CheckOutput(policy);
    fs::path baseline = policy;
    baseline.replace_extension(".baseline");
    if (rewrite) {
      std::ofstream(baseline, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(baseline)) << baseline << " missing; run with HITLGATE_UPDATE_GOLDEN=1";
    EXPECT_EQ(got, ReadFile(baseline))
        << "for " << policy << " (HITLGATE_UPDATE_GOLDEN=1 rewrites baselines)";
  }
}

TEST(PolicyGoldenTest, ExamplePoliciesAreClean) {
  const fs::path dir = fs::path(HITLGATE_SOURCE_DIR) / "examples/policies";
  int policies = 0;
  for (const fs::path& path : Files(dir, ".yaml")) {
    if (path.filename().string().ends_with(".cases.yaml")) {
      CaseFile cases = ParseCaseFile(path.string());
      EXPECT_TRUE(cases.ok()) << path;
      for (const Issue& issue : cases.issues) ADD_FAILURE() << issue.ToString();
      EXPECT_GE(cases.cases.size(), 8u) << path;
      continue;
    }
    ++policies;
    CompileResult r = CompileFile(path.string());
    EXPECT_TRUE(r.ok()) << path;
    for (const Issue& issue : r.issues) ADD_FAILURE() << issue.ToString();
  }
  EXPECT_GE(policies, 2);
}

}  // namespace
}  // namespace hitlgate::policy
