-- The part_of/reports_to cycle check in linear time. Migration 0001 walked
-- from every new edge separately, so a 5 000-long chain inserted at once took
-- tens of seconds; this visits each reachable mechanism and edge once:
--   1. R: every mechanism reachable from a new edge's target (a new cycle must
--      pass through a new edge u -> v, so it lies within R);
--   2. Kahn's algorithm on R: peel mechanisms with no remaining predecessor
--      in R; if all are peeled, there is no cycle;
--   3. otherwise name one cycle through a new edge u -> v: a breadth-first
--      search from v to u among the mechanisms left.
CREATE OR REPLACE FUNCTION check_nesting_acyclic() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    queue    bigint[];
    i        integer := 1;
    n        bigint;
    rec      record;
    total    integer;
    bad_from bigint;
    bad_to   bigint;
    found    boolean := false;
    path     bigint[];
    cycle    text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE kind IN ('part_of', 'reports_to')) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(7412093318274002);
    DROP TABLE IF EXISTS pg_temp.nesting_reach;
    CREATE TEMP TABLE nesting_reach (id bigint PRIMARY KEY, indeg integer NOT NULL DEFAULT 0, parent bigint)
        ON COMMIT DROP;
    INSERT INTO nesting_reach (id)
        WITH RECURSIVE reach(id) AS (
            SELECT to_id FROM new_rows WHERE kind IN ('part_of', 'reports_to')
            UNION
            SELECT r.to_id FROM reach JOIN mechanism_relation r ON r.from_id = reach.id
             WHERE r.kind IN ('part_of', 'reports_to'))
        SELECT id FROM reach;
    UPDATE nesting_reach s SET indeg = x.c
      FROM (SELECT r.to_id, count(*)::integer AS c FROM mechanism_relation r JOIN nesting_reach f ON f.id = r.from_id
             WHERE r.kind IN ('part_of', 'reports_to') GROUP BY r.to_id) x
     WHERE x.to_id = s.id;
    SELECT count(*) INTO total FROM nesting_reach;

    queue := ARRAY(SELECT id FROM nesting_reach WHERE indeg = 0);
    WHILE i <= coalesce(cardinality(queue), 0) LOOP
        n := queue[i];
        i := i + 1;
        FOR rec IN
            UPDATE nesting_reach s SET indeg = s.indeg - k.c
              FROM (SELECT r.to_id, count(*)::integer AS c FROM mechanism_relation r
                     WHERE r.from_id = n AND r.kind IN ('part_of', 'reports_to') GROUP BY r.to_id) k
             WHERE s.id = k.to_id
            RETURNING s.id, s.indeg
        LOOP
            IF rec.indeg = 0 THEN
                queue := queue || rec.id;
            END IF;
        END LOOP;
    END LOOP;
    IF i - 1 = total THEN
        RETURN NULL;
    END IF;

    -- A cycle remains. Name one through a new edge, for the message.
    FOR rec IN
        SELECT e.from_id, e.to_id FROM new_rows e
          JOIN nesting_reach a ON a.id = e.from_id AND a.indeg > 0
          JOIN nesting_reach b ON b.id = e.to_id AND b.indeg > 0
         WHERE e.kind IN ('part_of', 'reports_to')
         ORDER BY e.from_id, e.to_id
    LOOP
        UPDATE nesting_reach SET parent = NULL WHERE parent IS NOT NULL;
        UPDATE nesting_reach SET parent = rec.to_id WHERE id = rec.to_id;
        queue := ARRAY[rec.to_id];
        i := 1;
        WHILE i <= cardinality(queue) AND NOT found LOOP
            n := queue[i];
            i := i + 1;
            FOR bad_to IN
                UPDATE nesting_reach s SET parent = n
                  FROM mechanism_relation r
                 WHERE r.from_id = n AND r.kind IN ('part_of', 'reports_to') AND s.id = r.to_id
                   AND s.indeg > 0 AND s.parent IS NULL
                RETURNING s.id
            LOOP
                IF bad_to = rec.from_id THEN
                    found := true;
                END IF;
                queue := queue || bad_to;
            END LOOP;
        END LOOP;
        IF found THEN
            bad_from := rec.from_id;
            bad_to := rec.to_id;
            EXIT;
        END IF;
    END LOOP;
    IF found THEN
        -- parent links run from the new edge's source back to its target
        path := ARRAY[bad_from];
        n := bad_from;
        WHILE n <> bad_to LOOP
            SELECT parent INTO n FROM nesting_reach WHERE id = n;
            path := n || path;
        END LOOP;
        path := bad_from || path;
        SELECT string_agg(m.slug, ' -> ' ORDER BY t.ord) INTO cycle
          FROM unnest(path) WITH ORDINALITY AS t(id, ord) JOIN mechanism m ON m.id = t.id;
    END IF;
    RAISE EXCEPTION 'part_of/reports_to cycle: %', coalesce(cycle, '(through the new relations)')
          USING ERRCODE = 'check_violation', CONSTRAINT = 'mechanism_relation_nesting_acyclic',
                HINT = 'a mechanism cannot be nested, directly or indirectly, inside itself';
END $$;
