// The SQLite FTS5 ArticleIndex (porter stemming, bm25 with the title
// weighted twice the body). In memory: the index is rebuilt from the
// knowledge document when one is loaded.
#pragma once

#include <memory>

#include "hitlgate/assist/article_index.h"

namespace hitlgate::store {

[[nodiscard]] Result<std::unique_ptr<assist::ArticleIndex>> OpenSqliteArticleIndex();

}  // namespace hitlgate::store
