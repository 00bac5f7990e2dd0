#include "web/server.hpp"
#include "web/api.hpp"
#include "web/assets.hpp"

#include "analysis/gaps.hpp"
#include "output/export.hpp"
#include "queries/graph.hpp"
#include "review/review.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <arpa/inet.h>

#include <chrono>
#include <map>
#include <mutex>
#include <vector>

namespace govmap::web {

namespace {

// No inline script or style anywhere: the page's own files only, and the API
// on the same origin. Nothing is framed or fetched from elsewhere.
const char* const content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string content_type_of(std::string_view path)
{
    auto ends = [&](std::string_view suffix) {
        return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
    };
    if (ends(".html"))
        return "text/html; charset=utf-8";
    if (ends(".js"))
        return "text/javascript; charset=utf-8";
    if (ends(".css"))
        return "text/css; charset=utf-8";
    if (ends(".svg"))
        return "image/svg+xml";
    if (ends(".png"))
        return "image/png";
    return "application/octet-stream";
}

/// "user:password" from an Authorization header, by OpenSSL's base64 decoder.
std::optional<Login> basic_login(const std::string& header)
{
    const std::string scheme = "Basic ";
    if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0)
        return std::nullopt;
    std::string encoded = header.substr(scheme.size());
    if (encoded.size() % 4 != 0 || encoded.size() > 4096)
        return std::nullopt;
    std::vector<unsigned char> decoded(encoded.size() / 4 * 3 + 1);
    int n = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                            static_cast<int>(encoded.size()));
    if (n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (auto it = encoded.rbegin(); it != encoded.rend() && *it == '='; ++it)
        --n;
    std::string text(reinterpret_cast<const char*>(decoded.data()), static_cast<std::size_t>(n));
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || text.find('\0') != std::string::npos)
        return std::nullopt;
    return Login{text.substr(0, colon), text.substr(colon + 1)};
}

std::string random_hex(std::size_t bytes)
{
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        throw StartError("cannot read random bytes");
    std::string out;
    for (unsigned char c : raw)
        out += fmt::format("{:02x}", c);
    return out;
}

/// A token bucket per client address.
class RateLimit {
public:
    RateLimit(double rate, double burst) : rate_(rate), burst_(burst) {}
    /// Seconds to wait before the next request is allowed; 0: allowed now.
    double take(const std::string& client)
    {
        if (rate_ <= 0)
            return 0;
        auto now = std::chrono::steady_clock::now();
        std::lock_guard<std::mutex> lock(mutex_);
        if (buckets_.size() > 10000)
            forget_idle(now);
        auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, now});
        auto& b = it->second;
        if (!added) {
            double seconds = std::chrono::duration<double>(now - b.last).count();
            b.tokens = std::min(burst_, b.tokens + seconds * rate_);
            b.last = now;
        }
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return (1 - b.tokens) / rate_;
    }

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    void forget_idle(std::chrono::steady_clock::time_point now)
    {
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = now - it->second.last > std::chrono::seconds(60) ? buckets_.erase(it) : std::next(it);
    }
    double rate_, burst_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

/// Connections of the user who started the server, reused across requests.
class Pool {
public:
    explicit Pool(Connector connect) : connect_(std::move(connect)) {}
    std::unique_ptr<db::Connection> take()
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                return c;
            }
        }
        return std::make_unique<db::Connection>(connect_(std::nullopt));
    }
    void give_back(std::unique_ptr<db::Connection> c)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.push_back(std::move(c));
    }

private:
    Connector connect_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<db::Connection>> idle_;
};

class PooledLease : public Lease {
public:
    PooledLease(Pool* pool, std::unique_ptr<db::Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~PooledLease() override
    {
        if (pool_ && conn_)
            pool_->give_back(std::move(conn_));
    }
    db::Connection& connection() override { return *conn_; }
    void discard() override { pool_ = nullptr; }

private:
    Pool* pool_;  // null: the connection is closed with the lease
    std::unique_ptr<db::Connection> conn_;
};

}  // namespace

bool is_loopback(const std::string& host)
{
    if (host == "localhost" || host == "::1" || host == "[::1]")
        return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    return false;
}

std::string error_json(const std::string& message);

struct Server::Impl {
    Options options;
    Connector connect;
    Pool pool;
    RateLimit limit;
    std::unique_ptr<httplib::Server> http;
    int port = 0;

    Impl(Options o, Connector c)
        : options(std::move(o)), connect(c), pool(std::move(c)), limit(options.rate, options.burst)
    {
    }

    bool tls() const { return !options.tls_cert.empty(); }

    void fail(httplib::Response& res, int status, const std::string& message) const
    {
        res.status = status;
        res.set_content(error_json(message), "application/json");
    }

    /// A browser on another site can make a visitor's browser send requests
    /// to this server: on loopback, only requests that name this server as
    /// their host are answered (DNS rebinding), and writes need a header that
    /// a form cannot send and that a cross-site script may not add without
    /// this server's consent (CORS), which it never gives.
    /// cpp-httplib compresses with Brotli whenever a client accepts it, at
    /// Brotli's slowest setting: 1 s for cytoscape.js and seconds more for a
    /// big report, on every request. Gzip costs a few milliseconds, so the
    /// server offers only that. (httplib hands the pre-routing handler its
    /// own, non-const request as const.)
    static void prefer_gzip(const httplib::Request& req)
    {
        auto& headers = const_cast<httplib::Request&>(req).headers;
        auto it = headers.find("Accept-Encoding");
        if (it == headers.end())
            return;
        std::string accepted = it->second.find("gzip") != std::string::npos ? "gzip" : "identity";
        headers.erase("Accept-Encoding");
        headers.emplace("Accept-Encoding", accepted);
    }

    httplib::Server::HandlerResponse screen(const httplib::Request& req, httplib::Response& res)
    {
        prefer_gzip(req);
        if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
            res.set_header("Allow", "GET, HEAD, POST");
            fail(res, 405, "method not allowed");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (double wait = limit.take(req.remote_addr); wait > 0) {
            res.set_header("Retry-After", std::to_string(static_cast<int>(std::ceil(wait))));
            fail(res, 429, "too many requests from this address; slow down");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (!options.allow_remote) {
            std::string host = req.get_header_value("Host");
            std::string p = ":" + std::to_string(port);
            if (host != "127.0.0.1" + p && host != "localhost" + p && host != "[::1]" + p && host != options.host + p) {
                fail(res, 421, "this server answers only requests addressed to it on loopback");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        if (req.method == "POST") {
            if (req.get_header_value("X-Requested-With") != "govmap" ||
                req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
                fail(res, 403,
                     "a change needs the headers X-Requested-With: govmap and Content-Type: application/json");
                return httplib::Server::HandlerResponse::Handled;
            }
            std::string origin = req.get_header_value("Origin");
            if (!origin.empty() &&
                origin != std::string(tls() ? "https://" : "http://") + req.get_header_value("Host")) {
                fail(res, 403, "a change must come from this server's own page");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    }

    void wrap(const httplib::Request& req, httplib::Response& res, const Handler& handler)
    {
        res.set_header("Cache-Control", "no-store");
        std::shared_ptr<Lease> lease;
        try {
            if (options.allow_remote) {
                auto login = basic_login(req.get_header_value("Authorization"));
                if (!login) {
                    res.set_header("WWW-Authenticate", "Basic realm=\"govmap\", charset=\"UTF-8\"");
                    return fail(res, 401, "log in with your PostgreSQL user name and password");
                }
                lease = std::make_shared<PooledLease>(nullptr, std::make_unique<db::Connection>(connect(login)));
            } else {
                lease = std::make_shared<PooledLease>(&pool, pool.take());
            }
        } catch (const db::ConnectionError& e) {
            if (options.allow_remote) {
                res.set_header("WWW-Authenticate", "Basic realm=\"govmap\", charset=\"UTF-8\"");
                log(fmt::format("login refused for {}: {}", req.remote_addr, e.what()));
                return fail(res, 401, "the database refused this user name and password");
            }
            log(fmt::format("cannot connect: {}", e.what()));
            return fail(res, 503, "the database cannot be reached");
        }
        Session session{lease, options.read_only, options.actor, options.version};
        try {
            handler(req, res, session);
        } catch (const ApiError& e) {
            fail(res, e.status, e.what());
        } catch (const queries::UnknownName& e) {
            fail(res, 400, e.what());
        } catch (const output::TooManyNodes& e) {
            fail(res, 413, e.what());
        } catch (const review::NotPermitted& e) {
            fail(res, 403, e.what());
        } catch (const review::Conflict& e) {
            fail(res, 409, e.what());
        } catch (const review::Invalid& e) {
            std::string message = e.what();
            for (const auto& p : e.problems)
                message += "\n" + p.where + ": " + p.message;
            fail(res, 422, message);
        } catch (const db::ConnectionError& e) {
            lease->discard();
            log(fmt::format("{} {}: {}", req.method, req.path, e.what()));
            fail(res, 503, "the database connection was lost");
        } catch (const db::Error& e) {
            lease->discard();
            log(fmt::format("{} {}: {}", req.method, req.path, e.what()));
            if (e.sqlstate() == "42501")
                fail(res, 403, "permission denied: your database role may not do this");
            else if (e.sqlstate() == "57014")
                fail(res, 503, "the database cancelled the query (statement timeout)");
            else
                fail(res, 500, "database error (the server's log has the details)");
        } catch (const std::invalid_argument& e) {
            fail(res, 400, e.what());
        }
    }

    void log(const std::string& line) const
    {
        if (options.log)
            options.log(line);
    }

    void serve_asset(const httplib::Request& req, httplib::Response& res, std::string_view path)
    {
        for (const auto& a : assets()) {
            if (a.path != path)
                continue;
            std::string etag = "\"" + std::string(a.etag) + "\"";
            res.set_header("ETag", etag);
            res.set_header("Cache-Control", "no-cache");
            if (req.get_header_value("If-None-Match") == etag) {
                res.status = 304;
                return;
            }
            res.set_content(std::string(a.body), content_type_of(a.path));
            return;
        }
        res.status = 404;
        res.set_content("not found\n", "text/plain; charset=utf-8");
    }

    void routes()
    {
        http->set_default_headers({{"Content-Security-Policy", content_security_policy},
                                   {"X-Content-Type-Options", "nosniff"},
                                   {"X-Frame-Options", "DENY"},
                                   {"Referrer-Policy", "no-referrer"},
                                   {"Cross-Origin-Opener-Policy", "same-origin"},
                                   {"Cross-Origin-Resource-Policy", "same-origin"}});
        http->set_payload_max_length(options.max_body);
        // Without it small answers wait for the client's delayed ACK (Nagle): 40 ms each.
        http->set_tcp_nodelay(true);
        http->set_keep_alive_max_count(100);
        http->set_read_timeout(10, 0);
        http->set_write_timeout(120, 0);
        std::size_t threads = std::max<std::size_t>(1, options.threads);
        http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        http->set_pre_routing_handler(
            [this](const httplib::Request& req, httplib::Response& res) { return screen(req, res); });
        http->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            log(fmt::format("{} {} {} {}", req.remote_addr, req.method, req.path, res.status));
        });
        http->set_exception_handler(
            [this](const httplib::Request& req, httplib::Response& res, const std::exception_ptr& ep) {
                std::string what = "unknown error";
                try {
                    std::rethrow_exception(ep);
                } catch (const std::exception& e) {
                    what = e.what();
                } catch (...) {
                }
                log(fmt::format("{} {}: {}", req.method, req.path, what));
                fail(res, 500, "internal error (the server's log has the details)");
            });
        http->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty())
                return;
            std::string message = res.status == 404   ? "not found"
                                  : res.status == 413 ? "the request is too large"
                                                      : "request refused";
            if (req.path.rfind("/api/", 0) == 0)
                fail(res, res.status, message);
            else
                res.set_content(message + "\n", "text/plain; charset=utf-8");
        });
        http->Get("/", [this](const httplib::Request& req, httplib::Response& res) {
            serve_asset(req, res, "/assets/index.html");
        });
        http->Get(R"(/assets/[A-Za-z0-9_./-]+)",
                  [this](const httplib::Request& req, httplib::Response& res) { serve_asset(req, res, req.path); });
        add_api_routes(*http, [this](const httplib::Request& req, httplib::Response& res, const Handler& h) {
            wrap(req, res, h);
        });
    }

    /// A remote visitor's password must be checked by the database: a server
    /// that lets a made-up login in (trust, peer) would let anybody in.
    void check_logins_are_checked()
    {
        Login probe{"govmap_probe_" + random_hex(6), random_hex(16)};
        try {
            connect(probe);
        } catch (const db::ConnectionError& e) {
            std::string why = e.what();
            if (why.find("password authentication failed") != std::string::npos)
                return;
            throw StartError("--allow-remote: the database must check passwords (scram-sha-256 in pg_hba.conf), "
                             "but a made-up login was refused for another reason: " +
                             why);
        }
        throw StartError("--allow-remote: the database let a made-up login in; it does not check passwords");
    }
};

Server::Server(Options options, const Connector& connect) : impl_(std::make_unique<Impl>(std::move(options), connect))
{
}

Server::~Server() = default;

int Server::bind()
{
    auto& o = impl_->options;
    if (!is_loopback(o.host) && !o.allow_remote)
        throw StartError("refusing to listen on " + o.host +
                         ": an address other than loopback needs --allow-remote, and then TLS and a database "
                         "login for every request (docs/serve.md)");
    if (o.tls_cert.empty() != o.tls_key.empty())
        throw StartError("--tls-cert and --tls-key go together");
    if (o.allow_remote && !impl_->tls())
        throw StartError("--allow-remote needs --tls-cert and --tls-key: visitors send their database password");
    if (impl_->tls()) {
        auto ssl = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
        if (!ssl->is_valid())
            throw StartError("cannot load the certificate " + o.tls_cert + " and key " + o.tls_key);
        impl_->http = std::move(ssl);
    } else {
        impl_->http = std::make_unique<httplib::Server>();
    }
    if (o.allow_remote)
        impl_->check_logins_are_checked();
    impl_->routes();
    int port =
        o.port == 0 ? impl_->http->bind_to_any_port(o.host) : (impl_->http->bind_to_port(o.host, o.port) ? o.port : -1);
    if (port <= 0)
        throw StartError(
            fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)", o.host, o.port));
    impl_->port = port;
    return port;
}

std::string Server::url() const
{
    const auto& host = impl_->options.host;
    bool v6 = host.find(':') != std::string::npos;
    return fmt::format("{}://{}{}{}:{}/", impl_->tls() ? "https" : "http", v6 ? "[" : "", host, v6 ? "]" : "",
                       impl_->port);
}

void Server::run()
{
    if (!impl_->http || impl_->port <= 0)
        bind();
    impl_->http->listen_after_bind();
}

void Server::stop()
{
    if (impl_->http)
        impl_->http->stop();
}

}  // namespace govmap::web
