#include "hitlgate/common/durable_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace hitlgate {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hg-durable-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DurableFileTest, WritesThewholeContentPrivateAndLeavesNoTemporaryFile) {
  const fs::path path = dir_ / "secret.key";
  ASSERT_TRUE(WriteFileDurably(path.string(), "first\n").has_value());
  EXPECT_EQ(Read(path), "first\n");
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST_F(DurableFileTest, ReplacesAnOldFileAndALeftoverTemporaryOneOfAnotherMode) {
  const fs::path path = dir_ / "keys.json";
  ASSERT_TRUE(WriteFileDurably(path.string(), "old").has_value());
  {
    std::ofstream leftover(path.string() + ".tmp");  // a crash's leftover, default mode
    leftover << "half-written";
  }
  fs::permissions(path.string() + ".tmp", fs::perms::all);
  ASSERT_TRUE(WriteFileDurably(path.string(), "new").has_value());
  EXPECT_EQ(Read(path), "new");
  EXPECT_EQ(ModeOf(path), 0600u) << "the leftover's mode does not carry over";
}

TEST_F(DurableFileTest, AFolderThatDoesNotExistIsAClearError) {
  auto r = WriteFileDurably((dir_ / "missing" / "x").string(), "x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message().find("missing"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace hitlgate
