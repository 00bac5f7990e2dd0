// One record at a time: govmap add, edit, link, unlink, remove, assess. Each
// builds one record in the import format and hands it to the importer, so the
// rules and messages are the importer's; the result is a proposal.
#include "cli/changes.hpp"
#include "cli/commands.hpp"
#include "importer/importer.hpp"
#include "importer/records.hpp"
#include "review/review.hpp"
#include "text/text.hpp"
#include "vocab/vocabulary.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace govmap::cli {

namespace {

struct EditFlags {
    std::vector<std::string> sets;
    std::string source, summary, format = "text", as;
    std::vector<std::string> allow_duplicates;
    bool accept = false, dry_run = false;
};

void add_flags(CLI::App* cmd, EditFlags& f, bool with_source = true)
{
    if (with_source)
        cmd->add_option("--source", f.source, "Source (key or URL) of the record")
            ->type_name("KEY|URL")
            ->check(CLI::Validator([](std::string& v) { return check_text_option(v, 2048); }, "TEXT"));
    cmd->add_flag("--accept", f.accept, "Accept the proposal at once (a reviewer)");
    cmd->add_flag("--dry-run", f.dry_run, "Show what would be proposed; store nothing");
    cmd->add_option("--format", f.format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    cmd->add_option("--as", f.as, "Who proposes (a single-user database only; default: your login)")
        ->type_name("NAME")
        ->check(CLI::Validator([](std::string& v) { return check_text_option(v, 2048); }, "TEXT"));
}

/// FIELD=VALUE pairs into a record; throws a usage error naming the bad one.
void put_pairs(nlohmann::json& record, const std::vector<std::string>& pairs, const importer::RecordType& type)
{
    for (const auto& p : pairs) {
        auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Failure(exit_usage, "'" + p + "' is not FIELD=VALUE (fields: " + type.field_names() + ")");
        std::string field = p.substr(0, eq);
        if (!type.index(field)) {
            std::vector<std::string> names;
            for (const auto& f : type.fields)
                names.push_back(f.name);
            auto close = text::closest(field, names);
            throw Failure(exit_invalid_input, "unknown field '" + field + "' of a " + type.singular +
                                                  (close ? " (did you mean '" + *close + "'?)" : "") +
                                                  "; fields: " + type.field_names());
        }
        record[field] = p.substr(eq + 1);
    }
}

/// Runs one record through the importer as a proposal and prints the outcome.
void propose(Context& ctx, const EditFlags& f, const std::string& type, const nlohmann::json& record,
             const std::string& summary, bool remove = false)
{
    nlohmann::json doc;
    doc[type] = nlohmann::json::array({record});
    const std::string name = "govmap";
    importer::Options o;
    o.status = "proposed";
    o.remove = remove;
    o.dry_run = f.dry_run;
    o.summary = summary;
    o.contributor = f.as.empty() ? login_name() : f.as;
    if (!f.source.empty())
        o.default_source = f.source;
    o.allow_duplicates.insert(f.allow_duplicates.begin(), f.allow_duplicates.end());
    auto conn = ctx.connect();
    auto r = importer::import(conn, {{name, doc.dump(), std::string("json"), std::nullopt}}, o);
    // "govmap:/mechanisms/0/kind" reads better as "kind" for one record given on the command line.
    std::string prefix = name + ":/" + type + "/0";
    for (auto& p : r.problems) {
        if (p.where.rfind(prefix, 0) == 0)
            p.where = p.where.size() > prefix.size() + 1 ? p.where.substr(prefix.size() + 1) : std::string("record");
        if (p.where == "--source")
            continue;
    }
    for (auto& c : r.changes)
        c.location = "command line";
    if (f.format == "json") {
        nlohmann::json out{{"ok", r.problems.empty()}, {"dry_run", r.dry_run}, {"changes", changes_json(r.changes)}};
        out["proposal"] = r.proposal ? nlohmann::json(*r.proposal) : nlohmann::json();
        out["problems"] = nlohmann::json::array();
        for (const auto& p : r.problems)
            out["problems"].push_back({{"where", p.where}, {"message", p.message}});
        fmt::print("{}\n", out.dump(2));
    } else {
        for (const auto& p : r.problems)
            fmt::print(stderr, "{}: {}\n", p.where, p.message);
    }
    if (!r.problems.empty())
        throw Failure(exit_invalid_input, text::count_of(static_cast<long>(r.problems.size()), "problem", "problems") +
                                              " found; nothing was proposed");
    if (f.format != "json")
        fmt::print("{}", render_changes(r.changes));
    if (!r.proposal) {
        if (f.format != "json")
            fmt::print("nothing to propose: the map already says this\n");
        return;
    }
    if (f.dry_run) {
        if (f.format != "json")
            fmt::print("dry run: no proposal was stored\n");
        return;
    }
    if (f.accept) {
        review::accept(conn, {*r.proposal}, "", o.contributor);
        ctx.info("proposal {} accepted: the map now says this", *r.proposal);
    } else {
        ctx.info("proposal {} stored; nothing changes in the map until a reviewer accepts it "
                 "(govmap review show {})",
                 *r.proposal, *r.proposal);
    }
}

/// The record type and record of a link: KIND is a relation kind, or addresses,
/// involves or operates_in.
std::pair<std::string, nlohmann::json> link_record(const std::string& a, const std::string& kind, const std::string& b)
{
    if (kind == "addresses")
        return {"mechanism_areas", {{"mechanism", a}, {"area", b}}};
    if (kind == "involves")
        return {"stakeholders", {{"mechanism", a}, {"group", b}}};
    if (kind == "operates_in")
        return {"regions", {{"mechanism", a}, {"region", b}}};
    return {"relations", {{"from", a}, {"kind", kind}, {"to", b}}};
}

std::vector<std::string> link_kinds()
{
    std::vector<std::string> kinds = vocab::get(vocab::relation_kind).values;
    kinds.insert(kinds.end(), {"addresses", "involves", "operates_in"});
    return kinds;
}

}  // namespace

void add_edit_commands(CLI::App& app, Context& ctx)
{
    const char* footer = "The result is a proposal: the map changes when a reviewer accepts it (govmap review). "
                         "Values are checked by the importer's rules (docs/import-format.md).";

    static EditFlags add_f;
    static std::string add_what;
    auto* add = app.add_subcommand("add", "Propose a new mechanism, area or source: govmap add mechanism name=... "
                                          "kind=... scope=... model=...");
    add->add_option("what", add_what, "mechanism, area or source")
        ->required()
        ->check(CLI::IsMember({"mechanism", "area", "source"}));
    add->add_option("fields", add_f.sets, "FIELD=VALUE pairs (the columns of docs/import-format.md)")->required();
    add->add_option("--allow-duplicate", add_f.allow_duplicates,
                    "Propose this new mechanism although it looks like one the map holds")
        ->type_name("SLUG");
    add->add_option("--summary", add_f.summary, "What the proposal is about");
    add_flags(add, add_f);
    add->footer(std::string(footer) + " A mechanism's slug defaults to its acronym or name, a source's key to its "
                                      "title.");
    add->callback([&ctx] {
        ctx.action = [&ctx] {
            std::string type = add_what == "mechanism" ? "mechanisms" : add_what == "area" ? "areas" : "sources";
            nlohmann::json record = nlohmann::json::object();
            put_pairs(record, add_f.sets, *importer::find_type(type));
            if (type == "mechanisms" && !record.contains("slug")) {
                std::string from = record.value("acronym", record.value("name", std::string()));
                record["slug"] = importer::slugify(from);
            }
            if (type == "sources" && !record.contains("key"))
                record["key"] = importer::slugify(record.value("title", record.value("url", std::string())), 60);
            std::string key = record.value(type == "mechanisms" ? "slug" : type == "areas" ? "code" : "key", "");
            propose(ctx, add_f, type, record, add_f.summary.empty() ? "add " + add_what + " " + key : add_f.summary);
        };
    });

    static EditFlags edit_f;
    static std::string edit_mechanism;
    auto* edit = app.add_subcommand("edit", "Propose a change to some fields of a mechanism: govmap edit un-gge "
                                            "--set founded=2004");
    edit->add_option("mechanism", edit_mechanism, "Slug")->required();
    edit->add_option("--set", edit_f.sets, "FIELD=VALUE; repeat for several (only these fields change)")
        ->required()
        ->type_name("FIELD=VALUE");
    edit->add_option("--summary", edit_f.summary, "Why");
    add_flags(edit, edit_f, false);
    edit->footer(footer);
    edit->callback([&ctx] {
        ctx.action = [&ctx] {
            nlohmann::json record{{"slug", edit_mechanism}};
            put_pairs(record, edit_f.sets, *importer::find_type("mechanisms"));
            if (record["slug"] != edit_mechanism)
                throw Failure(exit_usage, "the slug cannot be edited (add a new mechanism and remove the old one)");
            propose(ctx, edit_f, "mechanisms", record,
                    edit_f.summary.empty() ? "edit " + edit_mechanism + " (" + text::join(edit_f.sets, ", ") + ")"
                                           : edit_f.summary);
        };
    });

    static EditFlags link_f, unlink_f;
    static std::string link_a, link_kind, link_b, unlink_a, unlink_kind, unlink_b, unlink_reason;
    auto* link = app.add_subcommand(
        "link", "Propose a link: govmap link A KIND B (KIND: " + text::join(link_kinds(), ", ") + ")");
    link->add_option("from", link_a, "Mechanism (slug)")->required();
    link->add_option("kind", link_kind, "Kind of link")->required()->check(CLI::IsMember(link_kinds()));
    link->add_option("to", link_b, "Mechanism, area, stakeholder group or region")->required();
    link->add_option("--set", link_f.sets,
                     "More fields: note=..., strength=secondary, role=observer, "
                     "valid_from=YEAR, valid_to=YEAR")
        ->type_name("FIELD=VALUE");
    link->add_option("--summary", link_f.summary, "Why");
    add_flags(link, link_f);
    link->footer(footer);
    link->callback([&ctx] {
        ctx.action = [&ctx] {
            auto [type, record] = link_record(link_a, link_kind, link_b);
            put_pairs(record, link_f.sets, *importer::find_type(type));
            propose(ctx, link_f, type, record,
                    link_f.summary.empty() ? "link " + link_a + " " + link_kind + " " + link_b : link_f.summary);
        };
    });
    auto* unlink = app.add_subcommand("unlink", "Propose removing a link: govmap unlink A KIND B --reason ...");
    unlink->add_option("from", unlink_a, "Mechanism (slug)")->required();
    unlink->add_option("kind", unlink_kind, "Kind of link")->required()->check(CLI::IsMember(link_kinds()));
    unlink->add_option("to", unlink_b, "Mechanism, area, stakeholder group or region")->required();
    unlink->add_option("--reason", unlink_reason, "Why the link is wrong (kept in history)")->required();
    add_flags(unlink, unlink_f, false);
    unlink->callback([&ctx] {
        ctx.action = [&ctx] {
            auto [type, record] = link_record(unlink_a, unlink_kind, unlink_b);
            propose(ctx, unlink_f, type, record,
                    "unlink " + unlink_a + " " + unlink_kind + " " + unlink_b + ": " + unlink_reason, true);
        };
    });

    static EditFlags remove_f;
    static std::string remove_mechanism, remove_reason;
    auto* remove = app.add_subcommand("remove", "Propose removing a mechanism and its links (kept in history)");
    remove->add_option("mechanism", remove_mechanism, "Slug")->required();
    remove->add_option("--reason", remove_reason, "Why it does not belong in the map")->required();
    add_flags(remove, remove_f, false);
    remove->footer("A mechanism that ended stays in the map with status concluded and an end year (govmap edit); "
                   "remove is for entries that should never have been there.");
    remove->callback([&ctx] {
        ctx.action = [&ctx] {
            propose(ctx, remove_f, "mechanisms", {{"slug", remove_mechanism}},
                    "remove " + remove_mechanism + ": " + remove_reason, true);
        };
    });

    static EditFlags assess_f;
    static std::string assess_mechanism, assess_principle, assess_score, assess_evidence;
    auto* assess = app.add_subcommand("assess", "Propose an assessment: govmap assess MECHANISM PRINCIPLE SCORE "
                                                "--evidence ... --source ...");
    assess->add_option("mechanism", assess_mechanism, "Slug")->required();
    assess
        ->add_option("principle", assess_principle, "One of: " + text::join(vocab::get(vocab::principle).values, ", "))
        ->required();
    assess->add_option("score", assess_score, "0 (absent) to 3 (fully met)")->required();
    assess->add_option("--evidence", assess_evidence, "What the score rests on")->required();
    add_flags(assess, assess_f);
    assess->callback([&ctx] {
        ctx.action = [&ctx] {
            nlohmann::json record{{"mechanism", assess_mechanism},
                                  {"principle", assess_principle},
                                  {"score", assess_score},
                                  {"evidence", assess_evidence}};
            propose(ctx, assess_f, "assessments", record,
                    "assess " + assess_mechanism + " " + assess_principle + " " + assess_score);
        };
    });
}

}  // namespace govmap::cli
