// govmap import FILE... and govmap seed: the importer from the command line.
#include "cli/changes.hpp"
#include "cli/commands.hpp"
#include "importer/importer.hpp"
#include "seed/bundled.hpp"
#include "text/text.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace govmap::cli {

namespace {

using Counts = importer::Counts;

struct ImportFlags {
    std::vector<std::string> files;
    std::string format = "text";
    std::string input_format;
    std::string type;
    bool dry_run = false;
    std::string source;
    std::string contributor;
    std::string status = "accepted";
    std::vector<std::string> allow_duplicates;
};

void report(const Context& ctx, const importer::Report& r, const std::string& format, bool proposed = false)
{
    if (format == "json") {
        nlohmann::json out;
        out["ok"] = r.problems.empty();
        out["dry_run"] = r.dry_run;
        out["rows"] = r.rows;
        out["counts"] = nlohmann::json::object();
        for (const auto& [type, c] : r.counts)
            out["counts"][type] = {{"inserted", c.inserted}, {"updated", c.updated}, {"unchanged", c.unchanged}};
        out["changes"] = changes_json(r.changes);
        out["proposal"] = r.proposal ? nlohmann::json(*r.proposal) : nlohmann::json();
        out["problems"] = nlohmann::json::array();
        for (const auto& p : r.problems)
            out["problems"].push_back({{"where", p.where}, {"message", p.message}});
        out["more_problems"] = r.omitted_problems > 0;
        fmt::print("{}\n", out.dump(2));
    } else {
        for (const auto& p : r.problems)
            fmt::print(stderr, "{}: {}\n", p.where, p.message);
        if (r.omitted_problems > 0)
            fmt::print(stderr, "... and more problems: only the first {} are shown\n", r.problems.size());
    }
    if (r.omitted_problems > 0)
        throw Failure(exit_invalid_input,
                      fmt::format("more than {} problems found; nothing was imported", r.problems.size()));
    if (!r.problems.empty())
        throw Failure(exit_invalid_input, text::count_of(static_cast<long>(r.problems.size()), "problem", "problems") +
                                              " found; nothing was imported");
    if (format == "json")
        return;
    if (!r.changes.empty() && !ctx.quiet)
        fmt::print("{}", render_changes(r.changes));
    if (proposed) {
        if (r.proposal)
            fmt::print("proposal {}{}: {}; nothing changes in the map until a reviewer accepts it "
                       "(govmap review show {})\n",
                       *r.proposal, r.dry_run ? " (dry run: not stored)" : "",
                       text::count_of(static_cast<long>(std::count_if(
                                          r.changes.begin(), r.changes.end(),
                                          [](const importer::RecordChange& c) { return c.op != "unchanged"; })),
                                      "change", "changes"),
                       *r.proposal);
        else
            fmt::print("nothing to propose: the map already says all of this\n");
        return;
    }
    if (ctx.quiet)
        return;
    Counts total;
    for (const auto& type : importer::record_type_names()) {
        auto it = r.counts.find(type);
        if (it == r.counts.end())
            continue;
        const auto& c = it->second;
        fmt::print("{:<16} {:>8} inserted {:>8} updated {:>8} unchanged{}\n", type, c.inserted, c.updated, c.unchanged,
                   c.removed ? fmt::format(" {:>8} removed", c.removed) : std::string());
        total.inserted += c.inserted;
        total.updated += c.updated;
        total.unchanged += c.unchanged;
    }
    fmt::print("{:<16} {:>8} inserted {:>8} updated {:>8} unchanged{}\n", "total", total.inserted, total.updated,
               total.unchanged, r.dry_run ? "  (dry run: nothing was written)" : "");
}

void add_common(CLI::App* cmd, ImportFlags& f)
{
    cmd->add_flag("--dry-run", f.dry_run, "Validate and report what would change; write nothing");
    cmd->add_option("--as", f.contributor, "Contributor recorded on inserted and changed rows (default: your login)")
        ->type_name("NAME")
        ->check(CLI::Validator([](std::string& v) { return check_text_option(v, 2048); }, "TEXT"));
    cmd->add_option("--status", f.status,
                    "accepted: change the map (a reviewer); proposed: store a proposal for review and leave the map "
                    "as it is")
        ->check(CLI::IsMember({"proposed", "accepted"}))
        ->capture_default_str();
}

/// A one-line progress display on stderr, only for a terminal and only once
/// the work has taken a couple of seconds.
std::function<void(const std::string&)> progress_line(const Context& ctx)
{
    if (ctx.quiet || !isatty(2))
        return {};
    auto start = std::chrono::steady_clock::now();
    return [start](const std::string& what) {
        auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (elapsed >= 2.0)
            fmt::print(stderr, "\r\033[K{:.0f}s: {}...", elapsed, what);
    };
}

importer::Options options_from(const ImportFlags& f, const std::string& default_contributor)
{
    importer::Options o;
    o.dry_run = f.dry_run;
    o.contributor = f.contributor.empty() ? default_contributor : f.contributor;
    o.status = f.status;
    if (!f.source.empty())
        o.default_source = f.source;
    o.allow_duplicates.insert(f.allow_duplicates.begin(), f.allow_duplicates.end());
    return o;
}

}  // namespace

void add_import_commands(CLI::App& app, Context& ctx)
{
    static ImportFlags imp;
    auto* cmd = app.add_subcommand("import", "Import areas, mechanisms, links and sources from CSV or JSON files");
    cmd->add_option("files", imp.files,
                    "CSV or JSON files (see docs/import-format.md), read as streams; '-' reads standard input "
                    "(name its format with --input-format or --type)")
        ->required()
        ->check(CLI::ExistingFile | CLI::IsMember({"-"}));
    cmd->add_option("--allow-duplicate", imp.allow_duplicates,
                    "Import this new mechanism although it looks like one the map holds (same name, acronym or "
                    "address); repeat for several")
        ->type_name("SLUG");
    cmd->add_option("--format", imp.format,
                    "Summary format (text or json); csv or spreadsheet instead force the input layout")
        ->check(CLI::IsMember({"text", "json", "csv", "spreadsheet"}))
        ->capture_default_str();
    cmd->add_option("--input-format", imp.input_format, "Input format, instead of the file extension")
        ->check(CLI::IsMember({"csv", "spreadsheet", "json"}));
    cmd->add_option("--type", imp.type, "Record type of the CSV files, instead of their names or headers")
        ->check(CLI::IsMember(importer::record_type_names()));
    cmd->add_option("--source", imp.source, "Source (key or URL) for rows that name none")
        ->type_name("KEY|URL")
        ->check(CLI::Validator([](std::string& v) { return check_text_option(v, 2048); }, "TEXT"));
    add_common(cmd, imp);
    cmd->footer("Every problem is reported as FILE:LINE:FIELD (JSON: FILE:/pointer) and nothing is written "
                "(exit code 3). Re-importing the same files changes nothing. Columns missing from a file leave "
                "existing values alone.");
    cmd->callback([&ctx] {
        ctx.action = [&ctx] {
            std::string input = imp.input_format;
            std::string summary = imp.format;
            if (summary == "csv" || summary == "spreadsheet") {
                input = summary;
                summary = "text";
            }
            std::vector<importer::InputFile> files;
            for (const auto& path : imp.files) {
                try {
                    files.push_back(importer::read_input(path));
                } catch (const std::runtime_error& e) {
                    throw Failure(exit_invalid_input, e.what());
                }
                if (!input.empty())
                    files.back().format = input;
                if (!imp.type.empty())
                    files.back().type = imp.type;
            }
            auto conn = ctx.connect();
            auto options = options_from(imp, login_name());
            options.progress = progress_line(ctx);
            auto result = importer::import(conn, files, options);
            if (options.progress)
                fmt::print(stderr, "\r\033[K");
            report(ctx, result, summary, imp.status == "proposed");
        };
    });

    static ImportFlags sd;
    auto* seed = app.add_subcommand("seed", "Load the bundled map (seed/*.csv) with the importer; idempotent");
    seed->add_option("--format", sd.format, "Summary format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    add_common(seed, sd);
    seed->callback([&ctx] {
        ctx.action = [&ctx] {
            std::vector<importer::InputFile> files;
            for (const auto& f : seed::bundled_files())
                files.push_back({f.name, f.text, std::nullopt, std::nullopt});
            auto conn = ctx.connect();
            auto options = options_from(sd, "govmap-seed");
            // The bundled map is curated: bodies that share an acronym (EC, OEWG) are distinct there.
            options.check_duplicates = false;
            report(ctx, importer::import(conn, files, options), sd.format);
        };
    });
}

}  // namespace govmap::cli
