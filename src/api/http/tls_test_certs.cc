#include "api/http/tls_test_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace hitlgate::api::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test PKI: %s failed\n", what);
    std::abort();
  }
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  Check(key != nullptr, "EVP_EC_gen");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// issuer == nullptr: self-signed CA.
X509* NewCert(const char* cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, bool ca,
              const char* san, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer != nullptr ? issuer : cert;
  AddExtension(cert, signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  AddExtension(cert, signer, NID_key_usage,
               ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (san != nullptr) AddExtension(cert, signer, NID_subject_alt_name, san);
  Check(X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

void WriteCert(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  Check(f != nullptr && PEM_write_X509(f, cert) == 1, "write certificate");
  std::fclose(f);
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  Check(f != nullptr &&
            PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write key");
  std::fclose(f);
}

}  // namespace

TestPki MakeTestPki(const std::string& dir) {
  std::filesystem::create_directories(dir);
  TestPki pki;
  pki.dir = dir;
  pki.ca_cert = dir + "/ca.pem";
  pki.server_cert = dir + "/server.pem";
  pki.server_key = dir + "/server.key";
  pki.client_cert = dir + "/client.pem";
  pki.client_key = dir + "/client.key";
  pki.rogue_client_cert = dir + "/rogue-client.pem";
  pki.rogue_client_key = dir + "/rogue-client.key";

  EVP_PKEY* ca_key = NewKey();
  X509* ca = NewCert("hitlgate test CA", ca_key, nullptr, nullptr, true, nullptr, 1);
  EVP_PKEY* rogue_ca_key = NewKey();
  X509* rogue_ca = NewCert("rogue CA", rogue_ca_key, nullptr, nullptr, true, nullptr, 1);

  EVP_PKEY* server_key = NewKey();
  X509* server = NewCert("127.0.0.1", server_key, ca, ca_key, false, "IP:127.0.0.1", 2);
  EVP_PKEY* client_key = NewKey();
  X509* client = NewCert("agent-1", client_key, ca, ca_key, false, nullptr, 3);
  EVP_PKEY* rogue_key = NewKey();
  X509* rogue = NewCert("agent-1", rogue_key, rogue_ca, rogue_ca_key, false, nullptr, 4);

  WriteCert(pki.ca_cert, ca);
  WriteCert(pki.server_cert, server);
  WriteKey(pki.server_key, server_key);
  WriteCert(pki.client_cert, client);
  WriteKey(pki.client_key, client_key);
  WriteCert(pki.rogue_client_cert, rogue);
  WriteKey(pki.rogue_client_key, rogue_key);

  for (X509* c : {ca, rogue_ca, server, client, rogue}) X509_free(c);
  for (EVP_PKEY* k : {ca_key, rogue_ca_key, server_key, client_key, rogue_key}) EVP_PKEY_free(k);
  return pki;
}

}  // namespace hitlgate::api::testing
