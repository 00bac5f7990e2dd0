-- Coverage by region without spreading global mechanisms over every region
-- first. Unless regions are strict, a global mechanism counts in every
-- region (migration 0007): 0014 still joined each covering (node, global
-- mechanism) pair with all 30 regions and counted distinct mechanisms, four
-- million rows at 100 000 mechanisms. A node's global mechanisms are the
-- same count in every region, so they are counted once per node and added;
-- the other mechanisms are counted by their regions as before. The two sets
-- are disjoint, so the sum is the count of distinct mechanisms that 0007
-- defines (tests/test_gaps.cpp derives it by hand, strict and not).
CREATE OR REPLACE FUNCTION coverage_by_region(include_proposed boolean DEFAULT false,
    active_only boolean DEFAULT false, strict_regions boolean DEFAULT false, primary_only boolean DEFAULT false,
    as_of smallint DEFAULT NULL, with_observatories boolean DEFAULT false)
RETURNS TABLE (area_id bigint, region_id bigint, region_code text, mechanisms bigint)
LANGUAGE sql STABLE AS $$
    WITH covering AS MATERIALIZED (
        SELECT cm.area_id, cm.mechanism_id, m.scope = 'global' AND NOT strict_regions AS everywhere
          FROM covering_mechanisms(include_proposed, active_only, primary_only, as_of, with_observatories) cm
          JOIN mechanism m ON m.id = cm.mechanism_id),
    everywhere AS MATERIALIZED (
        SELECT c.area_id, count(*) AS mechanisms FROM covering c WHERE c.everywhere GROUP BY c.area_id),
    placed AS MATERIALIZED (
        SELECT DISTINCT mr.mechanism_id, rc.descendant_id AS region_id
          FROM mechanism_region mr JOIN region_closure rc ON rc.ancestor_id = mr.region_id
         WHERE review_counts(mr.review_status, include_proposed) AND held_in(mr.valid_from, mr.valid_to, as_of)),
    counted AS MATERIALIZED (
        SELECT c.area_id, p.region_id, count(*) AS mechanisms
          FROM covering c JOIN placed p ON p.mechanism_id = c.mechanism_id
         WHERE NOT c.everywhere
         GROUP BY c.area_id, p.region_id)
    SELECT a.id, r.id, r.code, coalesce(e.mechanisms, 0) + coalesce(n.mechanisms, 0)
      FROM coverage_nodes(include_proposed) a
     CROSS JOIN region r
      LEFT JOIN everywhere e ON e.area_id = a.id
      LEFT JOIN counted n ON n.area_id = a.id AND n.region_id = r.id
     WHERE review_counts(r.review_status, include_proposed)
$$;
