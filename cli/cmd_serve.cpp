// govmap serve: the map, the gap report and the review queue in a browser.
#include "cli/commands.hpp"
#include "schema/settings.hpp"
#include "web/server.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace govmap::cli {

namespace {

/// "127.0.0.1:8080", "[::1]:8080", "8080" (loopback).
std::pair<std::string, int> parse_listen(const std::string& value)
{
    std::string host = "127.0.0.1", port = value;
    if (auto colon = value.rfind(':'); colon != std::string::npos) {
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
    }
    std::size_t used = 0;
    int n = -1;
    try {
        n = std::stoi(port, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (host.empty() || used != port.size() || n < 0 || n > 65535)
        throw Failure(exit_usage, "--listen: '" + value + "' is not HOST:PORT (a port from 0 to 65535)");
    return {host, n};
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx)
{
    static std::string listen = "127.0.0.1:8080";
    static web::Options o;
    auto* cmd = app.add_subcommand("serve", "Serve the map, the gap report and the review queue to a browser, and "
                                            "the same as JSON under /api/v1 (docs/serve.md)");
    cmd->add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free one")->capture_default_str();
    cmd->add_flag("--allow-remote", o.allow_remote,
                  "Allow an address other than loopback. Every request must then log in with a PostgreSQL user "
                  "name and password (HTTP basic), over TLS: give --tls-cert and --tls-key");
    cmd->add_option("--tls-cert", o.tls_cert, "PEM certificate (chain) for HTTPS")->check(CLI::ExistingFile);
    cmd->add_option("--tls-key", o.tls_key, "PEM private key for HTTPS")->check(CLI::ExistingFile);
    cmd->add_flag("--read-only", o.read_only, "Never change the map, even for a reviewer (no accept or reject)");
    cmd->add_option("--rate-limit", o.rate, "Requests per second allowed to one client address; 0: no limit")
        ->check(CLI::Range(0.0, 1e6))
        ->capture_default_str();
    cmd->add_option("--threads", o.threads, "Requests handled at once (each with its database connection)")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->footer("Loopback only by default: the server then acts as you, with your database role. "
                "Ctrl-C (SIGINT) or SIGTERM stops it.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            auto [host, port] = parse_listen(listen);
            o.host = host;
            o.port = port;
            o.burst = std::max(o.rate * 4, 1.0);
            o.actor = login_name();
            o.version = GOVMAP_VERSION;
            if (ctx.verbose)
                o.log = [](const std::string& line) {
                    static std::mutex m;
                    std::lock_guard<std::mutex> lock(m);
                    fmt::print(stderr, "{}\n", line);
                };
            if (o.allow_remote && ctx.target().origin == db::Origin::embedded)
                throw Failure(exit_usage, "--allow-remote: the embedded database has one user, you; visitors log in "
                                          "as roles of a shared server (GOVMAP_DB or PG*, govmap user add; "
                                          "docs/serve.md)");
            // The embedded cluster starts (and migrates) now, not on the first request.
            ctx.connect();
            std::string conninfo = ctx.conninfo();
            web::Server server(o, [&ctx, conninfo](const std::optional<web::Login>& login) {
                return login ? db::Connection(db::with_login(conninfo, login->user, login->password)) : ctx.connect();
            });
            // Signals wait for one thread of ours; the server's threads never see them.
            sigset_t stop_signals;
            sigemptyset(&stop_signals);
            sigaddset(&stop_signals, SIGINT);
            sigaddset(&stop_signals, SIGTERM);
            pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
            try {
                server.bind();
            } catch (const web::StartError& e) {
                throw Failure(exit_usage, e.what());
            }
            // Polls, so that it also ends when run() returns for another reason.
            std::atomic<bool> serving{true};
            std::thread waiter([&server, &serving, stop_signals] {
                const timespec tick{0, 200'000'000};
                while (serving)
                    if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
                        server.stop();
                        return;
                    }
            });
            fmt::print(stderr, "govmap: serving {}{} (Ctrl-C stops)\n", server.url(), o.read_only ? ", read-only" : "");
            server.run();
            serving = false;
            waiter.join();
            ctx.info("govmap: stopped");
        };
    });
}

}  // namespace govmap::cli
