// TLS for the HTTP server: builds the OpenSSL context from files named on the
// command line, with modern settings only (see docs/tls.md). OpenSSL stays
// inside api/http: callers see file names and a Result.
//
// Thread-safety: the context is built once before the server starts and is
// read-only afterwards; OpenSSL allows concurrent handshakes on one context.
#pragma once

#include <memory>
#include <string>

#include "hitlgate/common/error.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace hitlgate::api {

struct TlsOptions {
  std::string cert_file;  // PEM chain, server certificate first; empty = plain HTTP
  std::string key_file;   // PEM private key for it
  // PEM CA bundle. When set, every client must present a certificate that
  // verifies against it (mutual TLS for agents); the API key is still
  // required on each request (docs/tls.md).
  std::string client_ca_file;

  bool enabled() const { return !cert_file.empty(); }
};

// TLS 1.2 and 1.3 only (1.3 is chosen when the client offers it), ECDHE key
// exchange with AEAD ciphers for 1.2, no compression, no renegotiation, no
// session tickets. InvalidArgument naming the file when one cannot be read or
// the key does not match the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsOptions& options);

}  // namespace hitlgate::api
