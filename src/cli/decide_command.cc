// `hitlgate decide`: events in (JSON lines), decisions out, conversation
// state kept across the stream. A malformed line gets an error object naming
// its line number and the stream goes on.
#include <chrono>
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/line_reader.h"
#include "cli/scorer_loader.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::cli {
namespace {

constexpr size_t kFlushBytes = 1 << 16;

void PrintIssues(const policy::CompileResult& compiled) {
  for (const policy::Issue& issue : compiled.issues) {
    std::fprintf(stderr, "%s\n", issue.ToString().c_str());
  }
}

void AppendLineError(std::int64_t line, const Error& error, std::string* out) {
  out->append("{\"line\":");
  out->append(std::to_string(line));
  out->append(",\"error\":{\"code\":\"");
  out->append(ErrorCodeName(error.code()));
  out->append("\",\"message\":");
  codec::AppendJsonString(error.message(), out);
  out->append("}}\n");
}

}  // namespace

int RunDecide(const DecideOptions& options) {
  policy::CompileResult compiled = policy::CompileFile(options.policy_path);
  PrintIssues(compiled);
  if (!compiled.ok()) return 1;
  auto scorer = LoadScorer(options.lexicon_path);
  if (!scorer) return 1;

  std::FILE* in = stdin;
  if (options.input_path != "-") {
    in = std::fopen(options.input_path.c_str(), "rb");
    if (in == nullptr) {
      std::fprintf(stderr, "hitlgate: cannot open %s\n", options.input_path.c_str());
      return 1;
    }
  }
  std::FILE* out = stdout;
  if (options.output_path != "-") {
    out = std::fopen(options.output_path.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "hitlgate: cannot write %s\n", options.output_path.c_str());
      return 1;
    }
  }

  SystemClock clock;
  engine::DecisionEngine engine(compiled.program,
                                std::make_shared<engine::MemoryConversationStore>(), scorer, clock);
  if (auto attached = server::AttachLearningModels(options.learning, engine); !attached) {
    std::fprintf(stderr, "hitlgate: %s\n", attached.error().message().c_str());
    return 1;
  }
  LineReader reader(in);
  std::string buffer;
  buffer.reserve(kFlushBytes * 2);
  std::int64_t line_number = 0, decided = 0, malformed = 0;
  std::map<engine::Outcome, std::int64_t> by_outcome;
  const auto started = std::chrono::steady_clock::now();
  std::string_view line;
  while (reader.Next(&line)) {
    ++line_number;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto event = codec::ParseEvent(line);
    if (!event) {
      ++malformed;
      AppendLineError(line_number, event.error(), &buffer);
    } else {
      engine::Decision d = engine.DecideAndRecord(*event);
      ++decided;
      ++by_outcome[d.outcome];
      codec::AppendDecision(d, &buffer);
      buffer.push_back('\n');
    }
    if (buffer.size() >= kFlushBytes) {
      std::fwrite(buffer.data(), 1, buffer.size(), out);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), out);
  std::fflush(out);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (in != stdin) std::fclose(in);
  if (out != stdout) std::fclose(out);
  if (options.stats) {
    std::fprintf(stderr, "decided %lld events (%lld malformed lines) in %.3f s: %.0f events/s\n",
                 static_cast<long long>(decided), static_cast<long long>(malformed), seconds,
                 seconds > 0 ? decided / seconds : 0.0);
    for (const auto& [outcome, count] : by_outcome) {
      std::fprintf(stderr, "  %-16s %lld\n", std::string(engine::OutcomeName(outcome)).c_str(),
                   static_cast<long long>(count));
    }
  }
  return 0;
}

}  // namespace hitlgate::cli
