#include "review/review.hpp"

#include "importer/records.hpp"
#include "text/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <thread>

namespace govmap::review {

namespace {

using nlohmann::json;

db::Value text_of(const json& j, const std::string& k)
{
    if (!j.is_object() || !j.contains(k) || j[k].is_null())
        return std::nullopt;
    return j[k].is_string() ? j[k].get<std::string>() : j[k].dump();
}

std::optional<int> int_of(const db::Value& v)
{
    if (!v)
        return std::nullopt;
    return std::stoi(*v);
}

void begin_writing(db::Transaction& tx, const std::string& actor)
{
    tx.exec("SELECT set_config('govmap.actor', $1, true)", {actor});
    tx.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(importer::write_lock_key())});
}

bool may_review(db::Transaction& tx) { return tx.exec("SELECT may_review() AS ok").text(0, "ok") == "t"; }

Proposal proposal_from(const db::Result& r, std::size_t i)
{
    Proposal p;
    p.id = std::stol(r.text(i, "id"));
    p.summary = r.text(i, "summary");
    p.author = r.text(i, "author");
    p.created_at = r.text(i, "created_at");
    p.status = r.text(i, "status");
    p.decided_by = r.at(i, "decided_by");
    p.decided_at = r.at(i, "decided_at");
    p.note = r.at(i, "note");
    p.records = std::stol(r.text(i, "records"));
    p.changes = r.at(i, "changes").value_or("");
    return p;
}

const char* const proposal_columns = R"(
    p.id, p.summary, p.author, to_char(p.created_at, 'YYYY-MM-DD HH24:MI') AS created_at, p.status::text AS status,
    p.decided_by, to_char(p.decided_at, 'YYYY-MM-DD HH24:MI') AS decided_at, p.note,
    (SELECT count(*) FROM proposal_record r WHERE r.proposal_id = p.id) AS records,
    (SELECT string_agg(n || ' ' || op, ', ' ORDER BY op)
       FROM (SELECT op, count(*) AS n FROM proposal_record r WHERE r.proposal_id = p.id GROUP BY op) c) AS changes)";

/// The proposal's row, locked; refuses one that is missing or no longer open.
std::string lock_open(db::Transaction& tx, long id)
{
    auto r = tx.exec("SELECT status::text AS status, author, decided_by, to_char(decided_at, 'YYYY-MM-DD HH24:MI') AS "
                     "at FROM proposal WHERE id = $1 FOR UPDATE",
                     {std::to_string(id)});
    if (r.empty())
        throw Invalid(fmt::format("there is no proposal {}", id));
    if (r.text(0, "status") != "open")
        throw Conflict(fmt::format("proposal {} is already {} (by {} on {})", id, r.text(0, "status"),
                                   r.at(0, "decided_by").value_or("?"), r.at(0, "at").value_or("?")));
    return r.text(0, "author");
}

/// Records whose accepted row changed (or appeared, or went) since the proposal was made.
std::vector<std::string> stale_records(db::Transaction& tx, long id)
{
    std::vector<std::string> out;
    for (const auto& type : importer::record_types()) {
        if (type.name == "map_info")
            continue;
        std::string join;
        for (const auto& k : type.key)
            join += fmt::format(" AND r.\"{0}\" = pr.fields->>'{0}'", k);  // key names are program text
        auto r = tx.exec(
            fmt::format(
                "SELECT pr.location, pr.op, pr.base_version::text AS base, r.version::text AS now, "
                "       (SELECT h.actor || ' on ' || to_char(h.at, 'YYYY-MM-DD HH24:MI') FROM history h "
                "         WHERE h.table_name = $3 AND h.row_id = r.id ORDER BY h.id DESC LIMIT 1) AS changed, "
                "       (SELECT string_agg(pr.fields->>k, ' ' ORDER BY o) FROM unnest($4::text[]) WITH ORDINALITY "
                "u(k, o)) AS key "
                "  FROM proposal_record pr LEFT JOIN record_{0} r ON true{1} "
                " WHERE pr.proposal_id = $1 AND pr.type = $2 AND pr.base_version IS DISTINCT FROM r.version "
                " ORDER BY pr.seq",
                type.name, join),
            {std::to_string(id), type.name, importer::table_of(type.name), "{" + text::join(type.key, ",") + "}"});
        for (std::size_t i = 0; i < r.size(); ++i) {
            std::string what = type.singular + " '" + r.text(i, "key") + "'";
            auto base = r.at(i, "base"), now = r.at(i, "now");
            std::string by = r.at(i, "changed") ? " (last changed by " + *r.at(i, "changed") + ")" : "";
            if (!base)
                out.push_back(fmt::format("{}: proposed as new, but the map has had it since (version {}){}", what,
                                          now.value_or("?"), by));
            else if (!now)
                out.push_back(
                    fmt::format("{}: proposed against version {}, but it has been removed since{}", what, *base, by));
            else
                out.push_back(fmt::format("{}: proposed against version {}, but the map now has version {}{}", what,
                                          *base, *now, by));
        }
    }
    return out;
}

void decide_once(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor,
                 const std::string& status);

/// A deadlock or serialization failure against another writer is retried
/// with backoff; the decision is all or nothing each time.
void decide(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor,
            const std::string& status)
{
    constexpr int attempts = 5;
    for (int attempt = 1;; ++attempt) {
        try {
            decide_once(conn, ids, note, actor, status);
            return;
        } catch (const db::Error& e) {
            if (!e.retryable())
                throw;
            if (attempt >= attempts)
                throw db::Error(std::string(e.what()) + fmt::format(" (gave up after {} attempts)", attempt),
                                e.sqlstate());
            std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
        }
    }
}

void decide_once(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor,
                 const std::string& status)
{
    auto tx = conn.begin();
    begin_writing(tx, actor);
    if (!may_review(tx))
        throw NotPermitted("permission denied: only a reviewer " +
                           std::string(status == "accepted" ? "accepts" : "rejects") + " proposals");
    for (long id : ids) {
        std::string author = lock_open(tx, id);
        if (status == "accepted") {
            auto stale = stale_records(tx, id);
            if (!stale.empty())
                throw Conflict(fmt::format("proposal {} is out of date; nothing was accepted:\n  {}", id,
                                           text::join(stale, "\n  ")) +
                               "\nmake a new proposal against the map as it is now (govmap review show shows both)");
            tx.exec("SELECT set_config('govmap.proposal', $1, true)", {std::to_string(id)});
            importer::Options o;
            o.status = "accepted";
            o.contributor = author;
            auto allowed =
                tx.exec("SELECT unnest(allow_duplicates) AS slug FROM proposal WHERE id = $1", {std::to_string(id)});
            for (std::size_t i = 0; i < allowed.size(); ++i)
                o.allow_duplicates.insert(allowed.text(i, "slug"));
            auto report = importer::apply_proposal(tx, id, o);
            if (!report.problems.empty())
                throw Invalid(fmt::format("proposal {} no longer applies to the map; nothing was accepted", id),
                              report.problems);
            tx.exec("SELECT set_config('govmap.proposal', '', true)");
        }
        tx.exec("UPDATE proposal SET status = $2::proposal_status, decided_by = actor(), decided_at = now(), "
                "note = $3 WHERE id = $1",
                {std::to_string(id), status, note.empty() ? db::Value() : db::Value(note)});
    }
    tx.commit();
}

}  // namespace

std::vector<Proposal> list(db::Transaction& tx, const ListOptions& options)
{
    auto r = tx.exec(fmt::format("SELECT {} FROM proposal p WHERE ($1::text IS NULL OR p.status::text = $1) "
                                 "AND (NOT $2::boolean OR p.author = actor()) ORDER BY p.id",
                                 proposal_columns),
                     {options.status, options.mine ? "true" : "false"});
    std::vector<Proposal> out;
    for (std::size_t i = 0; i < r.size(); ++i)
        out.push_back(proposal_from(r, i));
    return out;
}

Detail show(db::Transaction& tx, long id)
{
    auto p = tx.exec(fmt::format("SELECT {} FROM proposal p WHERE p.id = $1", proposal_columns), {std::to_string(id)});
    if (p.empty())
        throw Invalid(fmt::format("there is no proposal {}", id));
    Detail d;
    d.proposal = proposal_from(p, 0);
    std::set<std::string> sources;
    for (const auto& type : importer::record_types()) {
        std::string join;
        for (const auto& k : type.key)
            join += fmt::format(" AND r.\"{0}\" = pr.fields->>'{0}'", k);
        auto r = tx.exec(fmt::format("SELECT pr.seq, pr.op, pr.location, pr.fields::text AS fields, "
                                     "pr.before::text AS before, pr.base_version::text AS base, "
                                     "r.version::text AS now, (to_jsonb(r) - 'id' - 'version')::text AS current "
                                     "FROM proposal_record pr LEFT JOIN record_{} r ON true{} "
                                     "WHERE pr.proposal_id = $1 AND pr.type = $2 ORDER BY pr.seq",
                                     type.name, join),
                         {std::to_string(id), type.name});
        for (std::size_t i = 0; i < r.size(); ++i) {
            Record rec;
            rec.seq = std::stoi(r.text(i, "seq"));
            rec.type = type.name;
            rec.op = r.text(i, "op");
            rec.location = r.text(i, "location");
            rec.base_version = int_of(r.at(i, "base"));
            rec.current_version = type.name == "map_info" ? rec.base_version : int_of(r.at(i, "now"));
            auto after = json::parse(r.text(i, "fields"));
            auto before = r.at(i, "before") ? json::parse(*r.at(i, "before")) : json();
            for (const auto& k : type.key)
                rec.key += (rec.key.empty() ? "" : " ") + text_of(after, k).value_or("");
            for (const auto& f : type.fields) {
                auto a = text_of(after, f.name), b = text_of(before, f.name);
                if (rec.op == "delete")
                    a.reset();
                else if (!after.contains(f.name))
                    continue;
                if (a != b || rec.op != "update")
                    if (a || b)
                        rec.fields.push_back({f.name, b, a});
                if (f.name == "source" && a)
                    sources.insert(*a);
            }
            if (type.name == "mechanisms" && rec.op == "insert") {
                auto dup = tx.exec(
                    "SELECT m.slug, m.name, m.acronym, similarity(lower(m.name), lower($1)) AS score FROM mechanism m "
                    "WHERE similarity(lower(m.name), lower($1)) >= 0.5 OR name_key(m.name) = name_key($1) "
                    "   OR lower(m.acronym) = lower($2) OR url_key(m.url) = url_key($3) "
                    "   OR (length(name_initials($1)) >= 3 AND lower(m.acronym) = name_initials($1)) "
                    "ORDER BY score DESC, m.slug LIMIT 5",
                    {text_of(after, "name"), text_of(after, "acronym"), text_of(after, "url")});
                for (std::size_t j = 0; j < dup.size(); ++j)
                    d.duplicates.push_back(fmt::format(
                        "{} is like {} ({}{}), name similarity {:.2f}", rec.key, dup.text(j, "slug"),
                        dup.text(j, "name"), dup.at(j, "acronym") ? ", " + *dup.at(j, "acronym") : std::string(),
                        std::stod(dup.text(j, "score"))));
            }
            d.records.push_back(std::move(rec));
        }
    }
    std::sort(d.records.begin(), d.records.end(), [](const Record& a, const Record& b) { return a.seq < b.seq; });
    for (const auto& key : sources) {
        auto s = tx.exec("SELECT key, title, url FROM source WHERE key = $1", {key});
        if (s.empty())
            d.sources.push_back(key + " (new in this proposal)");
        else
            d.sources.push_back(fmt::format("{}: {}{}", key, s.text(0, "title"),
                                            s.at(0, "url") ? " <" + *s.at(0, "url") + ">" : std::string()));
    }
    return d;
}

void accept(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor)
{
    decide(conn, ids, note, actor, "accepted");
}

void reject(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor)
{
    decide(conn, ids, note, actor, "rejected");
}

void withdraw(db::Connection& conn, const std::vector<long>& ids, const std::string& note, const std::string& actor)
{
    auto tx = conn.begin();
    begin_writing(tx, actor);
    for (long id : ids) {
        std::string author = lock_open(tx, id);
        if (author != tx.exec("SELECT actor() AS who").text(0, "who"))
            throw NotPermitted(fmt::format("proposal {} is {}'s: only its author withdraws it", id, author));
        tx.exec("UPDATE proposal SET status = 'withdrawn', decided_by = actor(), decided_at = now(), note = $2 "
                "WHERE id = $1",
                {std::to_string(id), note.empty() ? db::Value() : db::Value(note)});
    }
    tx.commit();
}

std::vector<std::string> preview(db::Transaction& tx)
{
    std::vector<std::string> warnings;
    tx.exec("SELECT set_config('govmap.preview', 'on', true)");
    auto ids = tx.exec("SELECT id, author FROM proposal WHERE status = 'open' ORDER BY id");
    for (std::size_t i = 0; i < ids.size(); ++i) {
        long id = std::stol(ids.text(i, "id"));
        importer::Options o;
        o.status = "proposed";
        o.contributor = ids.text(i, "author");
        o.check_duplicates = false;
        // Checked before anything is written, so that a proposal that no
        // longer fits (a mechanism it links was removed) is left out whole.
        auto report = importer::apply_proposal(tx, id, o);
        if (!report.problems.empty())
            warnings.push_back(fmt::format("proposal {} is left out: {}: {}", id, report.problems.front().where,
                                           report.problems.front().message));
    }
    return warnings;
}

db::Transaction open_map(db::Connection& conn, bool include_proposed, std::vector<std::string>* warnings, bool writable)
{
    if (!include_proposed)
        return conn.begin(writable ? db::Isolation::repeatable_read : db::Isolation::snapshot);
    auto tx = conn.begin(db::Isolation::repeatable_read);
    auto w = preview(tx);
    if (warnings)
        *warnings = std::move(w);
    return tx;
}

std::vector<Change> history(db::Transaction& tx, const std::optional<std::string>& mechanism,
                            const std::optional<std::string>& since)
{
    auto r = tx.exec(R"(
        WITH ids AS (
            SELECT row_id AS id FROM history WHERE table_name = 'mechanism' AND row_key = $1
            UNION SELECT id FROM mechanism WHERE slug = $1)
        SELECT h.id, to_char(h.at, 'YYYY-MM-DD HH24:MI:SS') AS at, h.actor, h.table_name, h.operation,
               coalesce(h.row_key, '') AS row_key, h.decision, h.proposal_id::text AS proposal,
               h.before::text AS before, h.after::text AS after
          FROM history h
         WHERE ($1::text IS NULL
                OR (h.table_name = 'mechanism' AND h.row_key = $1)
                OR (h.table_name <> 'mechanism' AND EXISTS (
                       SELECT 1 FROM ids WHERE ids.id::text IN (coalesce(h.before, h.after)->>'mechanism_id',
                                                               coalesce(h.before, h.after)->>'from_id',
                                                               coalesce(h.before, h.after)->>'to_id'))))
           AND ($2::timestamptz IS NULL OR h.at >= $2::timestamptz)
         ORDER BY h.id)",
                     {mechanism, since});
    std::vector<Change> out;
    static const std::set<std::string> bookkeeping{"id", "version", "created_at", "updated_at"};
    for (std::size_t i = 0; i < r.size(); ++i) {
        Change c;
        c.id = std::stol(r.text(i, "id"));
        c.at = r.text(i, "at");
        c.actor = r.text(i, "actor");
        c.table = r.text(i, "table_name");
        c.operation = r.text(i, "operation");
        c.key = r.text(i, "row_key");
        c.decision = r.text(i, "decision");
        if (auto p = r.at(i, "proposal"))
            c.proposal = std::stol(*p);
        auto before = r.at(i, "before") ? json::parse(*r.at(i, "before")) : json::object();
        auto after = r.at(i, "after") ? json::parse(*r.at(i, "after")) : json::object();
        std::set<std::string> keys;
        for (const auto& [k, v] : before.items())
            keys.insert(k);
        for (const auto& [k, v] : after.items())
            keys.insert(k);
        for (const auto& k : keys) {
            if (bookkeeping.count(k))
                continue;
            auto b = text_of(before, k), a = text_of(after, k);
            if (a != b)
                c.fields.push_back({k, b, a});
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace govmap::review
