// Opens a gateway's data folder (its SQLite database) for the reading
// commands (replay, report). Internal to src/cli.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "hitlgate/crypto/random.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/sqlite_store.h"

namespace hitlgate::cli {

struct DataDirStore {
  std::unique_ptr<crypto::RandomSource> random;
  std::unique_ptr<store::IdGenerator> ids;
  std::unique_ptr<store::SqliteStore> store;
};

// NotFound when the folder holds no gateway database (never creates one).
inline Result<DataDirStore> OpenDataDirStore(const std::string& data_dir) {
  DataDirStore s;
  const std::string path = data_dir + "/hitlgate.db";
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    return NotFound("no gateway database at " + path);
  }
  s.random = crypto::MakeSystemRandom();
  s.ids = std::make_unique<store::RandomIdGenerator>(s.random.get());
  auto opened = store::SqliteStore::Open(path, {.ids = s.ids.get()});
  HITLGATE_RETURN_IF_ERROR(opened);
  s.store = std::move(*opened);
  return s;
}

}  // namespace hitlgate::cli
