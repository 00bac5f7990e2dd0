#include "queries/check.hpp"

namespace govmap::queries {

const std::vector<CheckItem>& check_items()
{
    static const std::vector<CheckItem> items{
        {"founded", "no founding year"},
        {"ended", "concluded, one-off or withdrawn, but no end year"},
        {"participation", "no participation data (for an instrument: none of its own nor of the body that adopted it)"},
        {"regions", "a regional or national mechanism that names no region"},
        {"source", "the mechanism names no source"},
        {"areas", "addresses no issue area (observatories excepted)"},
        {"link_source", "a link (area, relation, participation, region) without a source"},
        {"observation_source", "an evaluation observation without a source"},
    };
    return items;
}

long checked_mechanisms(db::Transaction& tx, bool include_proposed)
{
    return std::stol(tx.exec("SELECT count(*) AS n FROM mechanism WHERE review_counts(review_status, $1::boolean)",
                             {include_proposed ? "true" : "false"})
                         .text(0, "n"));
}

db::Result missing_data(db::Transaction& tx, bool include_proposed)
{
    return tx.exec(R"(
        WITH m AS (SELECT * FROM mechanism WHERE review_counts(review_status, $1::boolean)),
        missing(slug, name, item, detail) AS (
            SELECT slug, name, 'founded', '' FROM m WHERE founded IS NULL
            UNION ALL
            SELECT slug, name, 'ended', 'status ' || status FROM m
             WHERE status IN ('concluded', 'one_off', 'withdrawn') AND ended IS NULL
            UNION ALL
            SELECT slug, name, 'participation', '' FROM m
              JOIN participation($1::boolean) p ON p.mechanism_id = m.id AND NOT p.known
            UNION ALL
            SELECT slug, name, 'regions', 'scope ' || scope FROM m
             WHERE scope <> 'global' AND NOT EXISTS (
                   SELECT 1 FROM mechanism_region r WHERE r.mechanism_id = m.id
                      AND review_counts(r.review_status, $1::boolean))
            UNION ALL
            SELECT slug, name, 'source', '' FROM m WHERE source_id IS NULL
            UNION ALL
            SELECT slug, name, 'areas', '' FROM m
             WHERE kind <> 'observatory' AND NOT EXISTS (
                   SELECT 1 FROM mechanism_area a WHERE a.mechanism_id = m.id
                      AND review_counts(a.review_status, $1::boolean))
            UNION ALL
            SELECT m.slug, m.name, 'link_source', 'addresses ' || x.code
              FROM mechanism_area a JOIN m ON m.id = a.mechanism_id JOIN issue_area x ON x.id = a.area_id
             WHERE a.source_id IS NULL AND review_counts(a.review_status, $1::boolean)
            UNION ALL
            SELECT m.slug, m.name, 'link_source', r.kind || ' ' || o.slug
              FROM mechanism_relation r JOIN m ON m.id = r.from_id JOIN mechanism o ON o.id = r.to_id
             WHERE r.source_id IS NULL AND review_counts(r.review_status, $1::boolean)
            UNION ALL
            SELECT m.slug, m.name, 'link_source', 'involves ' || g.code
              FROM mechanism_stakeholder s JOIN m ON m.id = s.mechanism_id
              JOIN stakeholder_group g ON g.id = s.stakeholder_group_id
             WHERE s.source_id IS NULL AND review_counts(s.review_status, $1::boolean)
            UNION ALL
            SELECT m.slug, m.name, 'link_source', 'operates in ' || x.code
              FROM mechanism_region r JOIN m ON m.id = r.mechanism_id JOIN region x ON x.id = r.region_id
             WHERE r.source_id IS NULL AND review_counts(r.review_status, $1::boolean)
            UNION ALL
            SELECT m.slug, m.name, 'observation_source', i.key || ' by ' || a.key
              FROM observation o JOIN m ON m.id = o.mechanism_id JOIN indicator i ON i.id = o.indicator_id
              JOIN assessor a ON a.id = o.assessor_id
             WHERE o.source_id IS NULL AND review_counts(o.review_status, $1::boolean))
        SELECT slug, name, item, detail FROM missing
         ORDER BY slug COLLATE "C",
                  array_position(ARRAY['founded', 'ended', 'participation', 'regions', 'source', 'areas',
                                       'link_source', 'observation_source'], item),
                  detail COLLATE "C")",
                   {include_proposed ? "true" : "false"});
}

}  // namespace govmap::queries
