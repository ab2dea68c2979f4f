// Checks the allocation promises of the signals hot paths: Score() on texts
// under 4 KiB and Match() when nothing matches allocate nothing. Counts
// calls to the global operator new, which this file replaces for the whole
// signals_test binary (the replacement only counts, then calls malloc).
// Single-threaded: the counter is not meant for concurrent tests.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "hitlgate/signals/phrase_matcher.h"
#include "hitlgate/signals/sentiment.h"

namespace {
long g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace hitlgate::signals {
namespace {

TEST(SignalsNoAllocTest, CounterSeesAllocations) {
  // Guards the two tests below against passing because nothing is counted.
  // (make_shared calls ::operator new directly: the compiler may not elide it.)
  const long before = g_allocations;
  auto probe = std::make_shared<std::string>(200, 'x');
  EXPECT_GT(g_allocations, before);
  EXPECT_EQ(probe->size(), 200u);
}

TEST(SignalsNoAllocTest, ScoreDoesNotAllocate) {
  auto scorer = SentimentScorer::Default();
  std::string long_text;
  while (long_text.size() < 4000)
    long_text += "The agent was NOT helpful at all, but thanks anyway :) ";
  const std::string texts[] = {
      "Hi, I ordered a blender two weeks ago and it still hasn't arrived. This is really "
      "frustrating!",
      "thanks\xF0\x9F\x99\x8F so kind of you!!! \xff\xfe", long_text};
  for (const std::string& t : texts) {
    (void)scorer->Score(t);  // warm up
    const long before = g_allocations;
    const SentimentScore s = scorer->Score(t);
    EXPECT_EQ(g_allocations, before) << t.substr(0, 40);
    EXPECT_NE(s.compound, 0.0);
  }
}

TEST(SignalsNoAllocTest, MatchWithoutHitsDoesNotAllocate) {
  auto matcher = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
  ASSERT_TRUE(matcher.has_value());
  const std::string text =
      "Hello, could you tell me when the store opens on Sunday and whether parking is available "
      "nearby?";
  ASSERT_EQ((*matcher)->Match(text), 0u);  // also warms the DFA cache
  const long before = g_allocations;
  for (int i = 0; i < 100; ++i) EXPECT_EQ((*matcher)->Match(text), 0u);
  EXPECT_EQ(g_allocations, before);
}

TEST(SignalsNoAllocTest, MatchWithMisspellingsAndNoHitsDoesNotAllocate) {
  // The spelling normalizer and the model's gate run on every message; they
  // work in stack buffers. (Shorthand and a correction change the text, so
  // the set runs twice; still nothing allocated when nothing matches.)
  auto matcher = PhraseMatcher::Build(PhraseMatcher::BuiltinCategories());
  ASSERT_TRUE(matcher.has_value());
  const std::string text =
      "Helo, cuold u tell me wen the stor opens on Sundy and whether the agent desk is open?";
  ASSERT_EQ((*matcher)->Match(text), 0u);
  const long before = g_allocations;
  for (int i = 0; i < 100; ++i) EXPECT_EQ((*matcher)->Match(text), 0u);
  EXPECT_EQ(g_allocations, before);
}

}  // namespace
}  // namespace hitlgate::signals
