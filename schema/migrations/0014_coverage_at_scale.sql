-- Coverage by region and by stakeholder group in one pass each. Migration
-- 0007 joined every (node, region) pair to the covering mechanisms and then
-- to their regions, so the work grew with nodes x regions x mechanisms: a
-- 10 000-mechanism map took 4 s for regions alone. Here the (node, mechanism)
-- and (mechanism, region) sets are each computed once, joined by hash on the
-- mechanism, counted per (node, region), and only then spread over every
-- pair so that a pair with no mechanism still reads 0. The results are the
-- same rows (tests/test_gaps.cpp derives them by hand).
CREATE OR REPLACE FUNCTION coverage_by_region(include_proposed boolean DEFAULT false,
    active_only boolean DEFAULT false, strict_regions boolean DEFAULT false, primary_only boolean DEFAULT false,
    as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, region_id bigint, region_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    WITH covering AS MATERIALIZED (
        SELECT cm.area_id, cm.mechanism_id
          FROM covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm),
    placed AS MATERIALIZED (
        SELECT DISTINCT mrc.mechanism_id, mrc.region_id
          FROM mechanism_region_coverage(include_proposed, strict_regions, as_of) mrc),
    counted AS MATERIALIZED (
        SELECT c.area_id, p.region_id, count(*) AS mechanisms
          FROM covering c JOIN placed p ON p.mechanism_id = c.mechanism_id
         GROUP BY c.area_id, p.region_id)
    SELECT a.id, r.id, r.code, coalesce(n.mechanisms, 0)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN region r
      LEFT JOIN counted n ON n.area_id = a.id AND n.region_id = r.id
     WHERE review_counts(r.review_status, include_proposed)
$$;

CREATE OR REPLACE FUNCTION coverage_by_stakeholder(include_proposed boolean DEFAULT false,
    active_only boolean DEFAULT false, primary_only boolean DEFAULT false, as_of smallint DEFAULT NULL,
    with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, group_id bigint, group_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    WITH covering AS MATERIALIZED (
        SELECT cm.area_id, cm.mechanism_id
          FROM covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm),
    taking_part AS MATERIALIZED (
        SELECT DISTINCT pr.mechanism_id, pr.stakeholder_group_id
          FROM participation_rows(include_proposed, as_of) pr),
    counted AS MATERIALIZED (
        SELECT c.area_id, t.stakeholder_group_id, count(*) AS mechanisms
          FROM covering c JOIN taking_part t ON t.mechanism_id = c.mechanism_id
         GROUP BY c.area_id, t.stakeholder_group_id)
    SELECT a.id, g.id, g.code, coalesce(n.mechanisms, 0)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN stakeholder_group g
      LEFT JOIN counted n ON n.area_id = a.id AND n.stakeholder_group_id = g.id
     WHERE review_counts(g.review_status, include_proposed)
$$;
