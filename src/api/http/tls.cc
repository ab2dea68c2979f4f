// The server's OpenSSL context. Settings follow Mozilla's "intermediate"
// profile (https://wiki.mozilla.org/Security/Server_Side_TLS) with the
// version floor at TLS 1.2.
#include "api/http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <fstream>

namespace hitlgate::api {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: ECDHE only (forward secrecy), AEAD only. TLS 1.3 suites
// are all AEAD and keep OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";

std::string LastOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

bool Readable(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsOptions& options) {
  if (options.cert_file.empty() || options.key_file.empty()) {
    return InvalidArgument("TLS needs both a certificate (--tls-cert) and a key (--tls-key)");
  }
  for (const std::string* f : {&options.cert_file, &options.key_file, &options.client_ca_file}) {
    if (!f->empty() && !Readable(*f)) return InvalidArgument("cannot read TLS file " + *f);
  }
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::no_compression | ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(native, kGroups) != 1) {
    return Internal("TLS settings rejected: " + LastOpenSslError());
  }
  if (SSL_CTX_use_certificate_chain_file(native, options.cert_file.c_str()) != 1) {
    return InvalidArgument("TLS certificate " + options.cert_file + ": " + LastOpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(native, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return InvalidArgument("TLS key " + options.key_file + ": " + LastOpenSslError());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return InvalidArgument("TLS key " + options.key_file + " does not match certificate " +
                           options.cert_file);
  }
  if (!options.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(native, options.client_ca_file.c_str(), nullptr) != 1) {
      return InvalidArgument("TLS client CA " + options.client_ca_file + ": " +
                             LastOpenSslError());
    }
    // Tell clients which CAs we accept, and refuse the handshake without a
    // certificate that chains to one of them.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.client_ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(native, names);
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_verify_depth(native, 4);
  }
  return ctx;
}

}  // namespace hitlgate::api
