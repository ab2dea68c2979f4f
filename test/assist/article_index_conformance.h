// The ArticleIndex conformance suite: the cases every full-text engine
// behind agent assist's article search must pass (SQLite FTS5, PostgreSQL).
// A backend's test instantiates it with a factory and lists
// test/assist/article_index_conformance.cc among its sources:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ArticleIndexConformanceTest,
//       ::testing::Values(ArticleIndexFactory{"sqlite", [] { ... }}));
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "hitlgate/assist/article_index.h"

namespace hitlgate::assist {

struct ArticleIndexFactory {
  std::string name;  // letters and digits only
  // A fresh, empty index; may GTEST_SKIP() when the engine is not configured here.
  std::function<std::unique_ptr<ArticleIndex>()> create;
};

class ArticleIndexConformanceTest : public ::testing::TestWithParam<ArticleIndexFactory> {
 protected:
  // Three articles: refunds, passwords, shipping.
  void SetUp() override;
  std::unique_ptr<ArticleIndex> index_;
};

}  // namespace hitlgate::assist
