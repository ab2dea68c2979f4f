// Test-only: a throwaway PKI made with OpenSSL at test time (no key material
// in the repository): a CA, a server certificate for 127.0.0.1 signed by it,
// and client certificates signed by it or by a second, untrusted CA.
#pragma once

#include <string>

namespace hitlgate::api::testing {

struct TestPki {
  std::string dir;  // all files live here
  std::string ca_cert;
  std::string server_cert, server_key;
  std::string client_cert, client_key;              // signed by ca_cert
  std::string rogue_client_cert, rogue_client_key;  // signed by another CA
};

// Writes the files into `dir` (created if missing). Aborts the test binary on
// an OpenSSL failure: without certificates nothing else can run.
TestPki MakeTestPki(const std::string& dir);

}  // namespace hitlgate::api::testing
