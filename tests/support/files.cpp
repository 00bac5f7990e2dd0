#include "tests/support/files.hpp"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace govmap::test {

TempDir::TempDir()
{
    char tmpl[] = "/tmp/govmap-test-XXXXXX";
    if (!mkdtemp(tmpl))
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const
{
    auto p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p.string();
}

std::string scalar(db::Connection& conn, const std::string& sql, const db::Params& params)
{
    auto tx = conn.begin();
    auto r = tx.exec(sql, params);
    return r.rows.at(0).at(0).value_or("NULL");
}

std::string fingerprint(db::Connection& conn)
{
    std::string all;
    for (const char* t :
         {"source", "issue_area", "mechanism", "stakeholder_group", "region", "mechanism_area", "mechanism_relation",
          "mechanism_stakeholder", "mechanism_region", "assessment", "schema_migrations"})
        all += std::string(t) + "=" +
               scalar(conn, std::string("SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM ") +
                                t + " t") +
               ";";
    return all;
}

std::string content(db::Connection& conn)
{
    return scalar(conn, R"(
        SELECT md5(string_agg(line, E'\n' ORDER BY line)) FROM (
          SELECT concat_ws('|', 'source', coalesce(url, key), title, published, publisher, review_status) AS line FROM source
          UNION ALL
          SELECT concat_ws('|', 'area', a.code, a.name, a.level, p.code, a.description, coalesce(s.url, s.key), a.review_status)
            FROM issue_area a LEFT JOIN issue_area p ON p.id = a.parent_id LEFT JOIN source s ON s.id = a.source_id
          UNION ALL
          SELECT concat_ws('|', 'mechanism', m.slug, m.name, m.acronym, m.kind, m.scope, m.model, m.centrality,
                           m.status, m.founded, m.ended, m.url, m.description, coalesce(s.url, s.key), m.review_status)
            FROM mechanism m LEFT JOIN source s ON s.id = m.source_id
          UNION ALL
          SELECT concat_ws('|', 'addresses', m.slug, a.code, e.strength, e.note, coalesce(s.url, s.key), e.review_status)
            FROM mechanism_area e JOIN mechanism m ON m.id = e.mechanism_id JOIN issue_area a ON a.id = e.area_id
            LEFT JOIN source s ON s.id = e.source_id
          UNION ALL
          SELECT concat_ws('|', 'relation', f.slug, e.kind, t.slug, coalesce(s.url, s.key), e.review_status)
            FROM mechanism_relation e JOIN mechanism f ON f.id = e.from_id JOIN mechanism t ON t.id = e.to_id
            LEFT JOIN source s ON s.id = e.source_id
          UNION ALL
          SELECT concat_ws('|', 'involves', m.slug, g.code, e.role, coalesce(s.url, s.key), e.review_status)
            FROM mechanism_stakeholder e JOIN mechanism m ON m.id = e.mechanism_id
            JOIN stakeholder_group g ON g.id = e.stakeholder_group_id LEFT JOIN source s ON s.id = e.source_id
          UNION ALL
          SELECT concat_ws('|', 'operates_in', m.slug, r.code, coalesce(s.url, s.key), e.review_status)
            FROM mechanism_region e JOIN mechanism m ON m.id = e.mechanism_id JOIN region r ON r.id = e.region_id
            LEFT JOIN source s ON s.id = e.source_id
          UNION ALL
          SELECT concat_ws('|', 'assessment', m.slug, e.principle, e.score, e.evidence, coalesce(s.url, s.key), e.review_status)
            FROM assessment e JOIN mechanism m ON m.id = e.mechanism_id LEFT JOIN source s ON s.id = e.source_id
        ) lines)");
}

}  // namespace govmap::test
