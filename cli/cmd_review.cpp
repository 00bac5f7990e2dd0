// govmap review list|show|accept|reject|withdraw, govmap history, govmap user add.
#include "cli/changes.hpp"
#include "cli/commands.hpp"
#include "importer/records.hpp"
#include "output/proposals.hpp"
#include "review/review.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <regex>

namespace govmap::cli {

namespace {

std::string proposal_line(const review::Proposal& p)
{
    std::string decided = p.decided_by ? fmt::format(", {} by {} on {}", p.status, *p.decided_by, *p.decided_at) : "";
    return fmt::format("{:>5}  {:<9} {} by {} ({}{}): {}", p.id, p.status, p.created_at, p.author, p.changes, decided,
                       p.summary);
}

/// A password from a file's first line, or typed twice at the terminal.
std::string read_password(const std::string& file, const std::string& user)
{
    if (!file.empty()) {
        std::ifstream in(file);
        std::string line;
        if (!in || !std::getline(in, line))
            throw Failure(exit_invalid_input, "--password-file: cannot read " + file);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            throw Failure(exit_invalid_input, "--password-file: " + file + " starts with an empty line");
        return line;
    }
    if (!isatty(0))
        throw Failure(exit_usage, "no terminal to ask for the password: give --password-file FILE");
    auto ask = [](const std::string& prompt) {
        fmt::print(stderr, "{}", prompt);
        termios old{};
        tcgetattr(0, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(0, TCSANOW, &quiet);
        std::string line;
        std::getline(std::cin, line);
        tcsetattr(0, TCSANOW, &old);
        fmt::print(stderr, "\n");
        return line;
    };
    auto first = ask("password for " + user + ": ");
    if (first.empty())
        throw Failure(exit_invalid_input, "the password is empty");
    if (ask("again: ") != first)
        throw Failure(exit_invalid_input, "the two passwords differ");
    return first;
}

std::vector<long> parse_ids(const std::vector<std::string>& raw)
{
    std::vector<long> ids;
    for (const auto& s : raw) {
        std::size_t used = 0;
        long id = 0;
        try {
            id = std::stol(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || id <= 0)
            throw Failure(exit_usage, "'" + s + "' is not a proposal number");
        ids.push_back(id);
    }
    return ids;
}

}  // namespace

void add_review_commands(CLI::App& app, Context& ctx)
{
    auto* review = app.add_subcommand("review", "Proposals: list, show, accept, reject or withdraw them");
    review->require_subcommand(1);
    review->footer("A proposal changes nothing in the map until a reviewer accepts it. Accepting one whose records "
                   "changed in the map since it was made is refused (exit 4). See docs/contributing-data.md.");

    static std::string list_status = "open", list_format = "text";
    static bool mine = false;
    auto* list = review->add_subcommand("list", "List proposals (open ones unless --status says otherwise)");
    list->add_flag("--mine", mine, "Only your own");
    list->add_option("--status", list_status, "open, accepted, rejected, withdrawn or all")
        ->check(CLI::IsMember({"open", "accepted", "rejected", "withdrawn", "all"}))
        ->capture_default_str();
    list->add_option("--format", list_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    list->callback([&ctx] {
        ctx.action = [&ctx] {
            auto conn = ctx.connect();
            auto tx = conn.begin(db::Isolation::snapshot);
            tx.exec("SELECT set_config('govmap.actor', $1, true)", {login_name()});
            review::ListOptions o;
            if (list_status != "all")
                o.status = list_status;
            else
                o.status.reset();
            o.mine = mine;
            auto proposals = review::list(tx, o);
            if (list_format == "json") {
                fmt::print("{}", output::proposals_json(proposals));
                return;
            }
            for (const auto& p : proposals)
                fmt::print("{}\n", proposal_line(p));
            if (proposals.empty())
                ctx.info("no {} proposals", list_status == "all" ? std::string() : list_status);
        };
    });

    static std::string show_id, show_format = "text";
    auto* show = review->add_subcommand("show", "One proposal: its records as field-level differences from the "
                                                "accepted map, possible duplicates, sources");
    show->add_option("id", show_id, "Proposal number")->required();
    show->add_option("--format", show_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    show->callback([&ctx] {
        ctx.action = [&ctx] {
            long id = parse_ids({show_id}).front();
            auto conn = ctx.connect();
            auto tx = conn.begin(db::Isolation::snapshot);
            auto d = review::show(tx, id);
            if (show_format == "json") {
                fmt::print("{}", output::proposal_json(d));
                return;
            }
            const auto& p = d.proposal;
            fmt::print("proposal {} ({}) by {} on {}\n  {}\n", p.id, p.status, p.author, p.created_at, p.summary);
            if (p.decided_by)
                fmt::print("  {} by {} on {}{}\n", p.status, *p.decided_by, *p.decided_at,
                           p.note ? ": " + *p.note : std::string());
            fmt::print("\n");
            for (const auto& r : d.records) {
                std::string version = r.base_version ? fmt::format(", against version {}", *r.base_version) : "";
                std::string stale =
                    !r.stale() ? ""
                    : r.current_version
                        ? fmt::format("  ** the map has version {} now: accepting is refused **", *r.current_version)
                        : "  ** no longer in the map: accepting is refused **";
                if (!r.base_version && r.current_version && p.status == "open")
                    stale = "  ** the map has it now: accepting is refused **";
                const auto* type = importer::find_type(r.type);
                fmt::print("{} {} {}{}{}\n", r.op, type ? type->singular : r.type, r.key, version, stale);
                for (const auto& f : r.fields)
                    fmt::print("    {}\n", render_field(f, r.op));
            }
            if (!d.duplicates.empty()) {
                fmt::print("\npossible duplicates:\n");
                for (const auto& x : d.duplicates)
                    fmt::print("  {}\n", x);
            }
            if (!d.sources.empty()) {
                fmt::print("\nsources:\n");
                for (const auto& s : d.sources)
                    fmt::print("  {}\n", s);
            }
        };
    });

    static std::vector<std::string> accept_ids, reject_ids, withdraw_ids;
    static std::string accept_note, reject_note, withdraw_note;
    auto* accept = review->add_subcommand("accept", "Accept proposals: apply them to the map (a reviewer)");
    accept->add_option("ids", accept_ids, "Proposal numbers (all accepted, or none)")->required();
    accept->add_option("--note", accept_note, "Why, for the record");
    accept->callback([&ctx] {
        ctx.action = [&ctx] {
            auto ids = parse_ids(accept_ids);
            auto conn = ctx.connect();
            review::accept(conn, ids, accept_note, login_name());
            for (long id : ids)
                ctx.info("accepted proposal {}", id);
        };
    });
    auto* reject = review->add_subcommand("reject", "Reject proposals (a reviewer); they stay in history");
    reject->add_option("ids", reject_ids, "Proposal numbers")->required();
    reject->add_option("--note", reject_note, "Why (required: the contributor reads it)")->required();
    reject->callback([&ctx] {
        ctx.action = [&ctx] {
            auto ids = parse_ids(reject_ids);
            if (text::utf8_length(reject_note) == 0 || reject_note.find_first_not_of(" \t") == std::string::npos)
                throw Failure(exit_usage, "--note: say why the proposal is rejected");
            auto conn = ctx.connect();
            review::reject(conn, ids, reject_note, login_name());
            for (long id : ids)
                ctx.info("rejected proposal {}", id);
        };
    });
    auto* withdraw = review->add_subcommand("withdraw", "Withdraw your own open proposals");
    withdraw->add_option("ids", withdraw_ids, "Proposal numbers")->required();
    withdraw->add_option("--note", withdraw_note, "Why, for the record");
    withdraw->callback([&ctx] {
        ctx.action = [&ctx] {
            auto ids = parse_ids(withdraw_ids);
            auto conn = ctx.connect();
            review::withdraw(conn, ids, withdraw_note, login_name());
            for (long id : ids)
                ctx.info("withdrew proposal {}", id);
        };
    });

    static std::string hist_mechanism, hist_since, hist_format = "text";
    auto* history = app.add_subcommand("history", "Every change to the map, who made it and through which proposal");
    history->add_option("mechanism", hist_mechanism, "Only this mechanism (slug) and its links");
    history->add_option("--since", hist_since, "Only changes at or after this date (YYYY-MM-DD)")->type_name("DATE");
    history->add_option("--format", hist_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    history->callback([&ctx] {
        ctx.action = [&ctx] {
            if (!hist_since.empty() && !std::regex_match(hist_since, std::regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}.*")))
                throw Failure(exit_usage, "--since: '" + hist_since + "' is not a date (YYYY-MM-DD)");
            auto conn = ctx.connect();
            auto tx = conn.begin(db::Isolation::snapshot);
            std::vector<review::Change> changes;
            try {
                changes = review::history(tx, hist_mechanism.empty() ? db::Value() : db::Value(hist_mechanism),
                                          hist_since.empty() ? db::Value() : db::Value(hist_since));
            } catch (const db::Error& e) {
                if (e.sqlstate().rfind("22", 0) == 0)
                    throw Failure(exit_usage, "--since: " + std::string(e.what()));
                throw;
            }
            if (hist_format == "json") {
                auto out = nlohmann::json::array();
                for (const auto& c : changes) {
                    nlohmann::json j{{"id", c.id},
                                     {"at", c.at},
                                     {"actor", c.actor},
                                     {"table", c.table},
                                     {"operation", c.operation},
                                     {"key", c.key},
                                     {"decision", c.decision}};
                    j["proposal"] = c.proposal ? nlohmann::json(*c.proposal) : nlohmann::json();
                    j["fields"] = nlohmann::json::array();
                    for (const auto& f : c.fields)
                        j["fields"].push_back(field_json(f));
                    out.push_back(j);
                }
                fmt::print("{}\n", out.dump(2));
                return;
            }
            for (const auto& c : changes) {
                std::string how = c.proposal ? fmt::format("proposal {}", *c.proposal) : c.decision;
                fmt::print("{}  {}  {} {} {} ({})\n", c.at, c.actor, c.operation, c.table, c.key, how);
                if (c.operation == "update")
                    for (const auto& f : c.fields)
                        fmt::print("    {}\n", render_field(f, c.operation));
            }
            if (changes.empty())
                ctx.info("no changes recorded{}", hist_mechanism.empty() ? "" : " for " + hist_mechanism);
        };
    });

    static std::string user_name, user_role, password_file;
    auto* user = app.add_subcommand("user", "Database users of a shared map (an admin)");
    user->require_subcommand(1);
    auto* add = user->add_subcommand("add", "Create (or update) a login with one of govmap's roles");
    add->add_option("name", user_name, "Login name")->required();
    add->add_option("--role", user_role, "reader, contributor, reviewer or admin")
        ->required()
        ->check(CLI::IsMember({"reader", "contributor", "reviewer", "admin"}));
    add->add_option("--password-file", password_file,
                    "Read the password from this file's first line (default: ask at the terminal); never on the "
                    "command line")
        ->type_name("FILE");
    add->callback([&ctx] {
        ctx.action = [&ctx] {
            if (ctx.target().origin == db::Origin::embedded)
                throw Failure(exit_usage, "the embedded database admits only the OS user who runs govmap (peer "
                                          "authentication); add users on a shared server (GOVMAP_DB, "
                                          "docs/contributing-data.md)");
            std::string password = read_password(password_file, user_name);
            auto hash = db::Connection::password_hash(user_name, password);
            auto conn = ctx.connect();
            auto tx = conn.begin();
            try {
                tx.exec("SELECT add_user($1, $2, $3)", {user_name, user_role, hash});
            } catch (const db::Error& e) {
                if (e.sqlstate() == "22023")
                    throw Failure(exit_invalid_input, e.what());
                throw;
            }
            tx.commit();
            ctx.info("user {} can log in as {} (password stored as a SCRAM-SHA-256 hash)", user_name, user_role);
        };
    });
}

}  // namespace govmap::cli
