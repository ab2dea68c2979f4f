#include "cli/receipt_commands.h"

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/common/time_format.h"
#include "hitlgate/receipts/receipt.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::cli {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Accepts the receipt itself or a task view that carries it as "receipt"
// (what GET /v1/tasks/{id} returns), so an executor can pass either.
std::string ReceiptPart(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return text;  // DecodeReceipt says what is wrong
  const boost::json::value* inner = v.get_object().if_contains("receipt");
  if (inner == nullptr || !inner->is_object()) return text;
  return boost::json::serialize(*inner);
}

}  // namespace

struct ReceiptCommands {
  CLI::App* verify = nullptr;
  CLI::App* keys = nullptr;
  ReceiptVerifyOptions verify_options;
  std::string data_dir = "data";
};

int RunReceiptVerify(const ReceiptVerifyOptions& o) {
  auto receipt = ReadFile(o.receipt_path);
  auto action = ReadFile(o.action_path);
  auto keys_text = ReadFile(o.keys_path);
  for (auto [text, path] : {std::pair{&receipt, &o.receipt_path}, {&action, &o.action_path},
                            {&keys_text, &o.keys_path}}) {
    if (!*text) {
      std::fprintf(stderr, "hitlgate: cannot read %s\n", path->c_str());
      return 2;
    }
  }
  auto keys = receipts::DecodePublicKeys(*keys_text);
  if (!keys) {
    std::fprintf(stderr, "hitlgate: %s: %s\n", o.keys_path.c_str(), keys.error().message().c_str());
    return 2;
  }
  auto decoded = receipts::DecodeReceipt(ReceiptPart(*receipt));
  if (!decoded) {
    std::fprintf(stderr, "hitlgate: %s: %s\n", o.receipt_path.c_str(), decoded.error().message().c_str());
    return 2;
  }
  receipts::ReceiptCheck check = receipts::VerifyReceipt(*decoded, *action, *keys);
  if (check.problem == receipts::ReceiptProblem::kMalformed) {
    std::fprintf(stderr, "hitlgate: %s\n", check.detail.c_str());
    return 2;
  }
  if (!check.ok()) {
    std::printf("REFUSED: %s: %s\n", std::string(receipts::ReceiptProblemName(check.problem)).c_str(),
                check.detail.c_str());
    return 1;
  }
  std::printf("ok: task %s, %s by %s at %s, key %s, action sha256 %s\n", decoded->task_id.c_str(),
              decoded->verdict.c_str(), decoded->reviewer.c_str(),
              FormatRfc3339(decoded->approved_at).c_str(), decoded->key_id.c_str(),
              decoded->action_sha256.c_str());
  return 0;
}

int RunReceiptKeys(const std::string& data_dir) {
  const std::string path = (std::filesystem::path(data_dir) / receipts::kKeyFileName).string();
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "hitlgate: no signing keys at %s (the gateway makes them on its first start)\n",
                 path.c_str());
    return 2;
  }
  receipts::FileKeyStore store(path);
  auto keys = store.Load();
  if (!keys) {
    std::fprintf(stderr, "hitlgate: %s\n", keys.error().message().c_str());
    return 2;
  }
  std::vector<receipts::PublicKeyInfo> infos;
  for (const auto& k : *keys) infos.push_back(k.info);
  std::printf("%s\n", receipts::EncodePublicKeys(infos).c_str());
  return 0;
}

std::shared_ptr<ReceiptCommands> AddReceiptCommands(CLI::App& app) {
  auto c = std::make_shared<ReceiptCommands>();
  CLI::App* receipt = app.add_subcommand("receipt", "Verify signed approval receipts");
  receipt->require_subcommand(1);
  c->verify = receipt->add_subcommand(
      "verify", "Check that a receipt approves exactly this action (exit 0), else exit 1 with why");
  c->verify->add_option("--receipt", c->verify_options.receipt_path, "Receipt JSON file")->required();
  c->verify->add_option("--action", c->verify_options.action_path, "The action JSON about to run")
      ->required();
  c->verify->add_option("--keys", c->verify_options.keys_path,
                        "The gateway's public keys (GET /v1/receipt-keys)")
      ->required();
  c->keys = receipt->add_subcommand("keys", "Print the data folder's public signing key history");
  c->keys->add_option("--data", c->data_dir, "The gateway's data folder");
  return c;
}

std::optional<int> RunReceiptCommands(const ReceiptCommands& c) {
  if (*c.verify) return RunReceiptVerify(c.verify_options);
  if (*c.keys) return RunReceiptKeys(c.data_dir);
  return std::nullopt;
}

}  // namespace hitlgate::cli
