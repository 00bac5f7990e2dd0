-- Coverage: for every taxonomy node, which mechanisms address it (rolled up:
-- a mechanism on an issue covers its area and cluster), and how many by
-- scope, model, centrality, region and stakeholder group. This is the one
-- place coverage is counted; govmap gaps only applies thresholds to it.
--
-- Every function takes the same switches:
--   include_proposed  count proposed rows as well as accepted ones
--   active_only       count only mechanisms whose status is active
--   primary_only      count only links whose strength is primary (a forum that
--                     discusses everything, like the IGF, then covers only what
--                     it addresses primarily)
-- Rejected rows never count.

CREATE FUNCTION review_counts(status review_status, include_proposed boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT status = 'accepted' OR (include_proposed AND status = 'proposed')
$$;

-- Every region paired with itself and every region below it.
CREATE VIEW region_closure AS
    WITH RECURSIVE closure(ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM region
        UNION ALL
        SELECT c.ancestor_id, r.id, c.depth + 1 FROM closure c JOIN region r ON r.parent_id = c.descendant_id)
    SELECT ancestor_id, descendant_id, depth FROM closure;

-- (taxonomy node, mechanism) for every mechanism that covers the node.
CREATE FUNCTION covering_mechanisms(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false)
RETURNS TABLE (area_id bigint, mechanism_id bigint) LANGUAGE sql STABLE AS $$
    SELECT DISTINCT c.ancestor_id, ma.mechanism_id
      FROM mechanism_area ma
      JOIN mechanism m ON m.id = ma.mechanism_id
      JOIN issue_area_closure c ON c.descendant_id = ma.area_id
     WHERE review_counts(ma.review_status, include_proposed)
       AND review_counts(m.review_status, include_proposed)
       AND (NOT active_only OR m.status = 'active')
       AND (NOT primary_only OR ma.strength = 'primary')
$$;

-- The taxonomy nodes that take part in the analysis.
CREATE FUNCTION coverage_nodes(include_proposed boolean DEFAULT false)
RETURNS SETOF issue_area LANGUAGE sql STABLE AS $$
    SELECT * FROM issue_area a WHERE review_counts(a.review_status, include_proposed)
$$;

CREATE FUNCTION coverage(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false)
RETURNS TABLE (area_id bigint, code text, name text, level text, parent_code text, mechanisms bigint,
               scope_global bigint, scope_regional bigint, scope_national bigint,
               model_intergovernmental bigint, model_multistakeholder bigint, model_private_sector bigint,
               model_technical_community bigint, model_civil_society bigint,
               centrality_core bigint, centrality_adjacent bigint)
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
           count(m.id) FILTER (WHERE m.centrality = 'adjacent')
      FROM coverage_nodes(include_proposed) a
      LEFT JOIN issue_area p ON p.id = a.parent_id
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only) cm ON cm.area_id = a.id
      LEFT JOIN mechanism m ON m.id = cm.mechanism_id
     GROUP BY a.id, a.code, a.name, a.level, p.code
$$;

-- A mechanism covers a region it operates in and every region below it; a
-- global mechanism covers every region unless strict_regions is set.
CREATE FUNCTION mechanism_region_coverage(include_proposed boolean DEFAULT false, strict_regions boolean DEFAULT false)
RETURNS TABLE (mechanism_id bigint, region_id bigint) LANGUAGE sql STABLE AS $$
    SELECT mr.mechanism_id, rc.descendant_id
      FROM mechanism_region mr JOIN region_closure rc ON rc.ancestor_id = mr.region_id
     WHERE review_counts(mr.review_status, include_proposed)
    UNION
    SELECT m.id, r.id FROM mechanism m CROSS JOIN region r
     WHERE NOT strict_regions AND m.scope = 'global'
$$;

CREATE FUNCTION coverage_by_region(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
                                   strict_regions boolean DEFAULT false, primary_only boolean DEFAULT false)
RETURNS TABLE (area_id bigint, region_id bigint, region_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id, r.id, r.code, count(DISTINCT mrc.mechanism_id)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN region r
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only) cm ON cm.area_id = a.id
      LEFT JOIN mechanism_region_coverage(include_proposed, strict_regions) mrc
             ON mrc.mechanism_id = cm.mechanism_id AND mrc.region_id = r.id
     WHERE review_counts(r.review_status, include_proposed)
     GROUP BY a.id, r.id, r.code
$$;

CREATE FUNCTION coverage_by_stakeholder(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false)
RETURNS TABLE (area_id bigint, group_id bigint, group_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id, g.id, g.code, count(DISTINCT ms.mechanism_id)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN stakeholder_group g
      LEFT JOIN covering_mechanisms(include_proposed, active_only, primary_only) cm ON cm.area_id = a.id
      LEFT JOIN mechanism_stakeholder ms
             ON ms.mechanism_id = cm.mechanism_id AND ms.stakeholder_group_id = g.id
            AND review_counts(ms.review_status, include_proposed)
     WHERE review_counts(g.review_status, include_proposed)
     GROUP BY a.id, g.id, g.code
$$;

-- Per node and principle: how many covering mechanisms are assessed, and the best score.
CREATE FUNCTION assessment_coverage(include_proposed boolean DEFAULT false, active_only boolean DEFAULT false,
    primary_only boolean DEFAULT false)
RETURNS TABLE (area_id bigint, principle text, assessed bigint, best_score integer)
LANGUAGE sql STABLE AS $$
    SELECT cm.area_id, s.principle::text, count(*), max(s.score)::integer
      FROM covering_mechanisms(include_proposed, active_only, primary_only) cm
      JOIN assessment s ON s.mechanism_id = cm.mechanism_id AND review_counts(s.review_status, include_proposed)
     GROUP BY cm.area_id, s.principle
$$;
