-- Exports carry each node's description too (appended, so the view's
-- existing columns keep their positions).
CREATE OR REPLACE VIEW graph_node AS
    SELECT id, 'area'::text AS kind, code AS key, name AS label, level::text AS level,
           NULL::text AS scope, NULL::text AS model, NULL::text AS centrality, NULL::text AS status,
           NULL::smallint AS founded, NULL::text AS url, review_status::text AS review_status,
           description
      FROM issue_area
    UNION ALL
    SELECT id, 'mechanism', slug, name, NULL, scope::text, model::text, centrality::text, status::text,
           founded, url, review_status::text, description
      FROM mechanism
    UNION ALL
    SELECT id, 'stakeholder', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text, description
      FROM stakeholder_group
    UNION ALL
    SELECT id, 'region', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text, NULL
      FROM region;
