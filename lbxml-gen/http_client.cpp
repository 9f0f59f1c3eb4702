#include "http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

namespace lbxml_gen {
namespace {

// A manager's answers are small JSON documents; a front-end sending more is broken or hostile,
// and returning less than given makes libcurl fail the transfer (CURLE_WRITE_ERROR).
constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
    auto* body = static_cast<std::string*>(out);
    if (body->size() + size * count > kMaxAnswerBytes) return 0;
    body->append(data, size * count);
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// libcurl takes a timeout of 0 as "no timeout" and refuses a negative one (keeping its default,
// none). A caller's positive timeout below a millisecond arrives here as 0, and must still be a
// limit rather than a wait for ever: every value is at least 1 ms.
long at_least_one_ms(long ms) {
    return ms < 1 ? 1 : ms;
}

}  // namespace

CurlTransport::CurlTransport(HttpClientOptions options) : options_(std::move(options)) {
    // curl_global_init is not thread-safe and must run once before any handle exists.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResult CurlTransport::send(const HttpRequest& request) {
    HttpResult result;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        result.error = "cannot create an HTTP client";
        return result;
    }
    CURL* c = curl.get();
    char error_text[CURL_ERROR_SIZE] = "";
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    for (const auto& [name, value] : request.headers) {
        curl_slist* next = curl_slist_append(headers.get(), (name + ": " + value).c_str());
        if (next) {
            headers.release();
            headers.reset(next);
        }
    }
    if (request.method == "POST") {
        // An explicit empty Expect: curl would otherwise wait for "100 Continue" on large bodies.
        curl_slist* next = curl_slist_append(headers.get(), "Expect:");
        if (next) {
            headers.release();
            headers.reset(next);
        }
    }
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    // Only the two schemes a manager URL may have; no redirects, which would carry the secret
    // (and the config) to wherever the answer points.
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         at_least_one_ms(options_.connect_timeout_ms)) != CURLE_OK ||
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, at_least_one_ms(options_.timeout_ms)) != CURLE_OK) {
        result.error = "cannot set the HTTP client's timeouts";
        return result;
    }
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
    if (!options_.ca_file.empty()) {
        // --cacert replaces the system's trust, not adds to it: a front-end with a certificate
        // from a public CA is not trusted when the operator named a private one.
        curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
    }
    if (request.method == "POST") {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &result.body);

    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_WRITE_ERROR && result.body.size() + CURL_MAX_WRITE_SIZE > kMaxAnswerBytes) {
        result.error = "the answer is larger than " + std::to_string(kMaxAnswerBytes >> 20) +
                       " MiB: not a manager's answer";
        return result;
    }
    if (code != CURLE_OK) {
        result.error = error_text[0] ? error_text : curl_easy_strerror(code);
        return result;
    }
    result.reached = true;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
    return result;
}

}  // namespace lbxml_gen
