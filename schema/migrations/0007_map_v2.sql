-- Map v2, part 2: participation, time, observatories and the map's own version.
--
-- Participation: which stakeholder groups take part in decisions (role
-- member), are only consulted or observe, and whether anyone may take part
-- (mechanism.open_participation). "Multistakeholder" in reports is derived
-- from these rows by one rule (participation() below), not from the formal
-- `model` label, which stays as the formal-authority attribute together with
-- `authority` (who adopts the decisions).
ALTER TABLE mechanism
    ADD COLUMN open_participation boolean,
    ADD COLUMN authority text CHECK (btrim(authority) <> '' AND length(authority) <= 300),
    ADD COLUMN note text CHECK (length(note) <= 2000);

-- An issue's note says what the sources say of its gaps (CRP.2's "possible
-- gaps" where it could be read), with the source; reports show it.
ALTER TABLE issue_area ADD COLUMN note text CHECK (length(note) <= 2000);

-- Notes on links say what a source does and does not settle.
ALTER TABLE mechanism_relation ADD COLUMN note text CHECK (length(note) <= 2000);
ALTER TABLE mechanism_stakeholder ADD COLUMN note text CHECK (length(note) <= 2000);
ALTER TABLE mechanism_region ADD COLUMN note text CHECK (length(note) <= 2000);

-- Time: every link and relation may carry the years it held (inclusive);
-- NULL means "from the mechanism's start" or "still holds".
ALTER TABLE mechanism_area
    ADD COLUMN valid_from smallint CHECK (valid_from BETWEEN 1800 AND 2100),
    ADD COLUMN valid_to smallint CHECK (valid_to BETWEEN 1800 AND 2100),
    ADD CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);
ALTER TABLE mechanism_relation
    ADD COLUMN valid_from smallint CHECK (valid_from BETWEEN 1800 AND 2100),
    ADD COLUMN valid_to smallint CHECK (valid_to BETWEEN 1800 AND 2100),
    ADD CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);
ALTER TABLE mechanism_stakeholder
    ADD COLUMN valid_from smallint CHECK (valid_from BETWEEN 1800 AND 2100),
    ADD COLUMN valid_to smallint CHECK (valid_to BETWEEN 1800 AND 2100),
    ADD CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);
ALTER TABLE mechanism_region
    ADD COLUMN valid_from smallint CHECK (valid_from BETWEEN 1800 AND 2100),
    ADD COLUMN valid_to smallint CHECK (valid_to BETWEEN 1800 AND 2100),
    ADD CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);

-- The map's own identity: data version and date (seed/map_info.csv for the
-- bundled map; any import may carry a map_info file), shown in every report
-- and export.
CREATE TABLE map_info (
    key            text PRIMARY KEY CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    value          text NOT NULL CHECK (btrim(value) <> '' AND length(value) <= 300),
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed'
);

-- A mechanism existed during year `as_of` when it was founded in or before it
-- and ended in or after it (an unknown year does not exclude it; `govmap
-- check` reports it). With as_of NULL, time is not considered.
CREATE FUNCTION existed_in(founded smallint, ended smallint, as_of smallint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT as_of IS NULL OR ((founded IS NULL OR founded <= as_of) AND (ended IS NULL OR ended >= as_of))
$$;

-- A link held during year `as_of`.
CREATE FUNCTION held_in(valid_from smallint, valid_to smallint, as_of smallint)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT as_of IS NULL OR ((valid_from IS NULL OR valid_from <= as_of) AND (valid_to IS NULL OR valid_to >= as_of))
$$;

-- Whether a mechanism counts under the switches of a report.
--   active_only          without as_of: status active; with as_of: still running after that year
--   with_observatories   count observatories and mapping exercises as well
CREATE FUNCTION mechanism_counts(review review_status, kind mechanism_kind, status mechanism_status,
    founded smallint, ended smallint, include_proposed boolean, active_only boolean, as_of smallint,
    with_observatories boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT review_counts(review, include_proposed)
       AND (with_observatories OR kind <> 'observatory')
       AND existed_in(founded, ended, as_of)
       AND (NOT active_only OR CASE WHEN as_of IS NULL THEN status = 'active'
                                    ELSE (ended IS NULL AND status = 'active') OR ended > as_of END)
$$;

-- Participation rows: each mechanism's own, or, for an instrument (a treaty,
-- a recommendation) with no participation data of its own, those of the
-- bodies it is convened_by or part_of (who adopted it), marked inherited.
CREATE FUNCTION participation_rows(include_proposed boolean DEFAULT false, as_of smallint DEFAULT NULL)
RETURNS TABLE (mechanism_id bigint, stakeholder_group_id bigint, role stakeholder_role, inherited boolean)
LANGUAGE sql STABLE AS $$
    WITH own AS (
        SELECT ms.mechanism_id, ms.stakeholder_group_id, ms.role FROM mechanism_stakeholder ms
         WHERE review_counts(ms.review_status, include_proposed) AND held_in(ms.valid_from, ms.valid_to, as_of)),
    bare AS (
        SELECT m.id FROM mechanism m
         WHERE m.kind = 'instrument' AND m.open_participation IS NULL
           AND NOT EXISTS (SELECT 1 FROM own o WHERE o.mechanism_id = m.id))
    SELECT o.mechanism_id, o.stakeholder_group_id, o.role, false FROM own o
    UNION
    SELECT b.id, o.stakeholder_group_id, o.role, true
      FROM bare b
      JOIN mechanism_relation r ON r.from_id = b.id AND r.kind IN ('convened_by', 'part_of')
                               AND review_counts(r.review_status, include_proposed)
                               AND held_in(r.valid_from, r.valid_to, as_of)
      JOIN own o ON o.mechanism_id = r.to_id
$$;

-- The one rule for "multistakeholder": participation is open to anyone, or at
-- least two stakeholder groups take part in decisions (role member or
-- open_participation), counting governments and intergovernmental
-- organisations as one group; over participation_rows, so an instrument
-- inherits it from the body that adopted it. `known` is false when the map
-- holds no participation data at all: a report then says so (a data gap)
-- instead of reading the silence as "not multistakeholder".
CREATE FUNCTION participation(include_proposed boolean DEFAULT false, as_of smallint DEFAULT NULL)
RETURNS TABLE (mechanism_id bigint, deciding_groups integer, open boolean, known boolean, multistakeholder boolean,
               inherited boolean)
LANGUAGE sql STABLE AS $$
    WITH rows AS (
        SELECT pr.mechanism_id, pr.role, pr.inherited,
               CASE WHEN g.code = 'intergovernmental_organisations' THEN 'governments' ELSE g.code END AS code
          FROM participation_rows(include_proposed, as_of) pr
          JOIN stakeholder_group g ON g.id = pr.stakeholder_group_id),
    parent_open AS (
        SELECT r.from_id AS id, bool_or(p.open_participation) AS open
          FROM mechanism_relation r
          JOIN mechanism m ON m.id = r.from_id AND m.kind = 'instrument' AND m.open_participation IS NULL
          JOIN mechanism p ON p.id = r.to_id AND p.open_participation IS NOT NULL
         WHERE r.kind IN ('convened_by', 'part_of') AND review_counts(r.review_status, include_proposed)
           AND held_in(r.valid_from, r.valid_to, as_of)
         GROUP BY r.from_id),
    per AS (
        SELECT m.id, coalesce(m.open_participation, po.open) AS open,
               count(DISTINCT r.code) FILTER (WHERE r.role IN ('member', 'open_participation'))::integer AS groups,
               count(r.code) AS n, coalesce(bool_or(r.inherited), false) OR (m.open_participation IS NULL AND
                                                                            po.open IS NOT NULL) AS inherited
          FROM mechanism m
          LEFT JOIN rows r ON r.mechanism_id = m.id
          LEFT JOIN parent_open po ON po.id = m.id
         GROUP BY m.id, m.open_participation, po.open)
    SELECT id, groups, coalesce(open, false), open IS NOT NULL OR n > 0, coalesce(open, false) OR groups >= 2,
           inherited
      FROM per
$$;

-- The coverage functions of 0004 gain two switches:
--   as_of                the map as it stood during that year (NULL: all time)
--   with_observatories   count observatories and mapping exercises
DROP FUNCTION assessment_coverage(boolean, boolean, boolean);
DROP FUNCTION coverage_by_stakeholder(boolean, boolean, boolean);
DROP FUNCTION coverage_by_region(boolean, boolean, boolean, boolean);
DROP FUNCTION mechanism_region_coverage(boolean, boolean);
DROP FUNCTION coverage(boolean, boolean, boolean);
DROP FUNCTION covering_mechanisms(boolean, boolean, boolean);

CREATE FUNCTION covering_mechanisms(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, mechanism_id bigint) LANGUAGE sql STABLE AS $$
    SELECT DISTINCT c.ancestor_id, ma.mechanism_id
      FROM mechanism_area ma
      JOIN mechanism m ON m.id = ma.mechanism_id
      JOIN issue_area_closure c ON c.descendant_id = ma.area_id
     WHERE review_counts(ma.review_status, include_proposed)
       AND held_in(ma.valid_from, ma.valid_to, as_of)
       AND mechanism_counts(m.review_status, m.kind, m.status, m.founded, m.ended, include_proposed, active_only,
                            as_of, with_observatories)
       AND (NOT primary_only OR ma.strength = 'primary')
$$;

CREATE FUNCTION coverage(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, code text, name text, level text, parent_code text, mechanisms bigint,
               scope_global bigint, scope_regional bigint, scope_national bigint,
               model_intergovernmental bigint, model_multistakeholder bigint, model_private_sector bigint,
               model_technical_community bigint, model_civil_society bigint,
               centrality_core bigint, centrality_adjacent bigint,
               participation_multistakeholder bigint, participation_unknown bigint,
               regions_unknown bigint, founded_unknown bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id, a.code, a.name, a.level::text, p.code,
           count(m.id),
           count(m.id) FILTER (WHERE m.scope = 'global'),
           count(m.id) FILTER (WHERE m.scope = 'regional'),
           count(m.id) FILTER (WHERE m.scope = 'national'),
           count(m.id) FILTER (WHERE m.model = 'intergovernmental'),
           count(m.id) FILTER (WHERE m.model = 'multistakeholder'),
           count(m.id) FILTER (WHERE m.model = 'private_sector'),
           count(m.id) FILTER (WHERE m.model = 'technical_community'),
           count(m.id) FILTER (WHERE m.model = 'civil_society'),
           count(m.id) FILTER (WHERE m.centrality = 'core'),
           count(m.id) FILTER (WHERE m.centrality = 'adjacent'),
           count(m.id) FILTER (WHERE pt.multistakeholder),
           count(m.id) FILTER (WHERE NOT pt.known),
           count(m.id) FILTER (WHERE m.scope <> 'global' AND NOT EXISTS (
               SELECT 1 FROM mechanism_region mr WHERE mr.mechanism_id = m.id
                  AND review_counts(mr.review_status, include_proposed))),
           count(m.id) FILTER (WHERE m.founded IS NULL)
      FROM coverage_nodes(include_proposed) a
      LEFT JOIN issue_area p ON p.id = a.parent_id
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm
             ON cm.area_id = a.id
      LEFT JOIN mechanism m ON m.id = cm.mechanism_id
      LEFT JOIN participation(include_proposed, as_of) pt ON pt.mechanism_id = m.id
     GROUP BY a.id, a.code, a.name, a.level, p.code
$$;

CREATE FUNCTION mechanism_region_coverage(include_proposed boolean DEFAULT false, strict_regions boolean DEFAULT false,
    as_of smallint DEFAULT NULL)
RETURNS TABLE (mechanism_id bigint, region_id bigint) LANGUAGE sql STABLE AS $$
    SELECT mr.mechanism_id, rc.descendant_id
      FROM mechanism_region mr JOIN region_closure rc ON rc.ancestor_id = mr.region_id
     WHERE review_counts(mr.review_status, include_proposed) AND held_in(mr.valid_from, mr.valid_to, as_of)
    UNION
    SELECT m.id, r.id FROM mechanism m CROSS JOIN region r
     WHERE NOT strict_regions AND m.scope = 'global'
$$;

CREATE FUNCTION coverage_by_region(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    strict_regions boolean DEFAULT false, primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL,
    with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, region_id bigint, region_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id, r.id, r.code, count(DISTINCT mrc.mechanism_id)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN region r
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm
             ON cm.area_id = a.id
      LEFT JOIN mechanism_region_coverage(include_proposed, strict_regions, as_of) mrc
             ON mrc.mechanism_id = cm.mechanism_id AND mrc.region_id = r.id
     WHERE review_counts(r.review_status, include_proposed)
     GROUP BY a.id, r.id, r.code
$$;

CREATE FUNCTION coverage_by_stakeholder(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, group_id bigint, group_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id, g.id, g.code, count(DISTINCT ms.mechanism_id)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN stakeholder_group g
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm
             ON cm.area_id = a.id
      LEFT JOIN participation_rows(include_proposed, as_of) ms
             ON ms.mechanism_id = cm.mechanism_id AND ms.stakeholder_group_id = g.id
     WHERE review_counts(g.review_status, include_proposed)
     GROUP BY a.id, g.id, g.code
$$;

CREATE FUNCTION assessment_coverage(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, principle text, assessed bigint, best_score integer)
LANGUAGE sql STABLE AS $$
    SELECT cm.area_id, s.principle::text, count(*), max(s.score)::integer
      FROM covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm
      JOIN assessment s ON s.mechanism_id = cm.mechanism_id AND review_counts(s.review_status, include_proposed)
     GROUP BY cm.area_id, s.principle
$$;

-- The report's and exports' as-of year for statements that cannot take
-- parameters (COPY): set with set_config('govmap.as_of', $1, true) in the
-- command's transaction; empty or unset means all time.
CREATE FUNCTION as_of_setting()
RETURNS smallint LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('govmap.as_of', true), '')::smallint
$$;

-- The graph views carry time: mechanisms their end year, edges the years
-- they held (appended, so existing columns keep their positions).
CREATE OR REPLACE VIEW graph_node AS
    SELECT id, 'area'::text AS kind, code AS key, name AS label, level::text AS level,
           NULL::text AS scope, NULL::text AS model, NULL::text AS centrality, NULL::text AS status,
           NULL::smallint AS founded, NULL::text AS url, review_status::text AS review_status,
           description, NULL::smallint AS ended
      FROM issue_area
    UNION ALL
    SELECT id, 'mechanism', slug, name, NULL, scope::text, model::text, centrality::text, status::text,
           founded, url, review_status::text, description, ended
      FROM mechanism
    UNION ALL
    SELECT id, 'stakeholder', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text, description,
           NULL
      FROM stakeholder_group
    UNION ALL
    SELECT id, 'region', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text, NULL, NULL
      FROM region;

CREATE OR REPLACE VIEW graph_edge AS
    SELECT e.id, e.mechanism_id AS source, e.area_id AS target, 'addresses'::text AS kind,
           e.strength::text AS strength, NULL::text AS role, s.url AS source_url, e.review_status::text AS review_status,
           e.valid_from, e.valid_to
      FROM mechanism_area e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.from_id, e.to_id, e.kind::text, NULL, NULL, s.url, e.review_status::text, e.valid_from, e.valid_to
      FROM mechanism_relation e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.mechanism_id, e.stakeholder_group_id, 'involves', NULL, e.role::text, s.url, e.review_status::text,
           e.valid_from, e.valid_to
      FROM mechanism_stakeholder e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.mechanism_id, e.region_id, 'operates_in', NULL, NULL, s.url, e.review_status::text,
           e.valid_from, e.valid_to
      FROM mechanism_region e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT -a.id, a.id, a.parent_id, 'within', NULL, NULL, s.url, a.review_status::text, NULL::smallint, NULL::smallint
      FROM issue_area a LEFT JOIN source s ON s.id = a.source_id WHERE a.parent_id IS NOT NULL
    UNION ALL
    SELECT -r.id, r.id, r.parent_id, 'within', NULL, NULL, s.url, r.review_status::text, NULL, NULL
      FROM region r LEFT JOIN source s ON s.id = r.source_id WHERE r.parent_id IS NOT NULL;
