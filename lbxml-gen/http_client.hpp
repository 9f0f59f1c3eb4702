// The HTTP requests apply-http-lb-changes sends to front-ends. Transport is the seam the push
// logic is written against, so it can be tested without a network; CurlTransport is the real
// one (libcurl: manager URLs are often https).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lbxml_gen {

struct HttpRequest {
    std::string method;  // "GET" or "POST"
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpResult {
    bool reached = false;  // false: no HTTP answer at all (refused, timed out, TLS failed)
    long status = 0;
    std::string body;
    std::string error;  // why it was not reached
};

class Transport {
  public:
    virtual ~Transport() = default;
    virtual HttpResult send(const HttpRequest& request) = 0;
};

// Timeouts are never "no limit": one below 1 ms (a sub-millisecond timeout truncated to 0 ms)
// is taken as 1 ms.
struct HttpClientOptions {
    long connect_timeout_ms = 5000;
    // A commit answers only once every child switched, which may take a while.
    long timeout_ms = 60000;
    std::string ca_file;  // empty: the system's CA store
};

class CurlTransport : public Transport {
  public:
    explicit CurlTransport(HttpClientOptions options);
    HttpResult send(const HttpRequest& request) override;

  private:
    HttpClientOptions options_;
};

}  // namespace lbxml_gen
