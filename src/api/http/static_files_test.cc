// StaticFiles: MIME types, the SPA fallback and path confinement.
#include "api/http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hitlgate::api {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("hitlgate_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<html>app</html>");
    Write(root_ / "assets" / "app.js", "console.log(1)");
    Write(root_ / "assets" / "app.css", "body{}");
    Write(root_ / "logo.svg", "<svg/>");
    Write(root_ / "logo.png", "\x89PNG");
    Write(root_ / "manifest.json", "{}");
    Write(root_ / "favicon.ico", "ico");
    Write(base_ / "secret.txt", "secret");
    fs::create_directories(base_ / "dist2");
    Write(base_ / "dist2" / "x.js", "other");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  Response Get(const StaticFiles& files, std::string target) {
    Request r;
    ParseTarget(target, &r);
    return files.Serve(r);
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirMimeTypes) {
  StaticFiles files(root_.string());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/", "text/html; charset=utf-8"},
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/app.js", "text/javascript; charset=utf-8"},
      {"/assets/app.css", "text/css; charset=utf-8"},
      {"/logo.svg", "image/svg+xml"},
      {"/logo.png", "image/png"},
      {"/manifest.json", "application/json"},
      {"/favicon.ico", "image/x-icon"},
  };
  for (const auto& [target, type] : cases) {
    const Response r = Get(files, target);
    EXPECT_EQ(r.status, 200u) << target;
    EXPECT_EQ(r.content_type, type) << target;
  }
  EXPECT_EQ(Get(files, "/assets/app.js").body, "console.log(1)");
  EXPECT_EQ(StaticFiles::MimeType("a/b.unknown"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::MimeType("noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, UnknownRoutesWithoutExtensionGetIndexHtml) {
  StaticFiles files(root_.string());
  const Response r = Get(files, "/reviews/123?tab=audit");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "<html>app</html>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  // A missing asset is a real 404, not the app.
  EXPECT_EQ(Get(files, "/assets/missing.js").status, 404u);
}

TEST_F(StaticFilesTest, TraversalIsRejected) {
  StaticFiles files(root_.string());
  for (const std::string target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
        "/assets/..", "/..\\secret.txt", "/../dist2/x.js"}) {
    const Response r = Get(files, target);
    EXPECT_EQ(r.status, 404u) << target;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, SymlinkOutOfTheRootIsRejected) {
  fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  StaticFiles files(root_.string());
  EXPECT_EQ(Get(files, "/leak.txt").status, 404u);
}

TEST_F(StaticFilesTest, ServesUnderAPrefix) {
  StaticFiles files(root_.string() + "/", "/console/");
  EXPECT_EQ(Get(files, "/console/assets/app.js").body, "console.log(1)");
  EXPECT_EQ(Get(files, "/console").body, "<html>app</html>");
  EXPECT_EQ(Get(files, "/console/tasks/1").body, "<html>app</html>");
  EXPECT_EQ(Get(files, "/consolex/assets/app.js").status, 404u);
  EXPECT_EQ(Get(files, "/assets/app.js").status, 404u);
}

}  // namespace
}  // namespace hitlgate::api
