// Proxy-auth-cert in the form GlassFish's ProxyHandlerImpl parses: the base64 body of the
// client certificate without its BEGIN/END lines, line breaks written as "% d% a". The container
// turns "% d% a" back into "\n", adds BEGIN/END itself and parses one X.509 certificate, so a
// full PEM (or breaks as spaces) fails with a CertificateException.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zdu::headers {

class ProxyAuthCert {
  public:
    // The first certificate of a PEM text such as mod_ssl's SSL_CLIENT_CERT. Invalid when
    // there is none, or its body is not base64 (nothing else may go into a header value).
    explicit ProxyAuthCert(std::string_view pem) noexcept;

    bool valid() const noexcept { return size_ > 0; }
    // Length of the header value.
    std::size_t size() const noexcept { return size_; }
    // Writes exactly size() characters (no terminator), so the caller owns the allocation.
    void write(char* out) const noexcept;

  private:
    std::string_view body_;  // between the BEGIN and END lines
    std::size_t size_ = 0;
};

// The header value, or empty when the PEM holds no certificate.
std::string proxy_auth_cert(std::string_view pem);

}  // namespace zdu::headers
