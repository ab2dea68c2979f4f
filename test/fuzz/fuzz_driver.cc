// A small stand-in for libFuzzer's driver: runs every file given (or every
// file in each directory given), then random mutations of them with a fixed
// seed until HITLGATE_FUZZ_SECONDS (default 5) have passed. Deterministic for
// a given corpus and time budget up to how many mutations fit. Prints the
// input that was running if the target crashes (via a file named
// fuzz-crash-input written before each run when HITLGATE_FUZZ_SAVE=1).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Run(const std::string& input, bool save) {
  if (save) std::ofstream("fuzz-crash-input", std::ios::binary) << input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

// Fragments that steer mutations towards interesting YAML and expressions.
const char* const kTokens[] = {"{",
                               "}",
                               "[",
                               "]",
                               ":",
                               ": ",
                               "- ",
                               "\n",
                               "\n  ",
                               "'",
                               "\"",
                               "&a ",
                               "*a",
                               "!!str ",
                               "|\n  ",
                               ">\n  ",
                               "#",
                               "~",
                               "null",
                               "true",
                               "1e309",
                               "-0",
                               "0.5",
                               "@",
                               "*",
                               "if: ",
                               "when: ",
                               "decision: ",
                               "and ",
                               "or ",
                               "not ",
                               "(",
                               ")",
                               " in ",
                               "topics",
                               "==",
                               "<=",
                               "confidence",
                               "amount",
                               "has(",
                               "glob(",
                               "topic('",
                               "messages_within(",
                               "\\",
                               "\t",
                               "\xff",
                               "\0"};

std::string Mutate(const std::string& base, const std::vector<std::string>& corpus,
                   std::mt19937_64& rng) {
  std::string s = base;
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 6) {
      case 0:  // flip a byte
        if (!s.empty()) s[pos % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // insert a token
        s.insert(pos, kTokens[rng() % (sizeof kTokens / sizeof kTokens[0])]);
        break;
      case 2: {  // delete a range
        const std::size_t n = rng() % 32;
        if (pos < s.size()) s.erase(pos, n);
        break;
      }
      case 3: {  // duplicate a chunk
        if (s.empty()) break;
        const std::size_t from = rng() % s.size();
        const std::size_t n = std::min<std::size_t>(rng() % 64, s.size() - from);
        s.insert(pos, s.substr(from, n));
        break;
      }
      case 4: {  // splice from another input
        const std::string& other = corpus[rng() % corpus.size()];
        if (other.empty()) break;
        const std::size_t from = rng() % other.size();
        s.insert(pos, other.substr(from, rng() % 128));
        break;
      }
      case 5:  // insert a random byte
        s.insert(pos, 1, static_cast<char>(rng() % 256));
        break;
    }
  }
  if (s.size() > 64 * 1024) s.resize(64 * 1024);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(p)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // deterministic order
      for (const fs::path& f : files) corpus.push_back(ReadFile(f));
    } else if (fs::is_regular_file(p)) {
      corpus.push_back(ReadFile(p));
    } else {
      std::fprintf(stderr, "fuzz_driver: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  if (corpus.empty()) corpus.push_back("");
  const char* seconds_env = std::getenv("HITLGATE_FUZZ_SECONDS");
  const double seconds = seconds_env != nullptr ? std::atof(seconds_env) : 5.0;
  const char* save_env = std::getenv("HITLGATE_FUZZ_SAVE");
  const bool save = save_env != nullptr && std::string(save_env) == "1";

  for (const std::string& input : corpus) Run(input, save);
  // Fixed seed by default (reproducible runs); HITLGATE_FUZZ_SEED explores
  // other mutation sequences (scripts/fuzz.sh --seed).
  const char* seed_env = std::getenv("HITLGATE_FUZZ_SEED");
  std::mt19937_64 rng(seed_env != nullptr ? std::strtoull(seed_env, nullptr, 10) : 20260105);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  std::uint64_t runs = corpus.size();
  while (std::chrono::steady_clock::now() < deadline) {
    Run(Mutate(corpus[rng() % corpus.size()], corpus, rng), save);
    ++runs;
  }
  std::printf("fuzz_driver: %llu inputs, no crash\n", static_cast<unsigned long long>(runs));
  return 0;
}
