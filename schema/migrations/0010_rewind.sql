-- The map as it was recorded at a moment in the past, rebuilt from history
-- inside the caller's transaction, for `govmap gaps --compare DATE`.
--
-- A row's state at moment T is the before-image of its first history entry
-- after T (none: it did not exist then), or, with no history after T, the row
-- as it is now. History begins when migration 0009 was applied; earlier
-- moments cannot be rebuilt and are refused.
--
-- The function replaces the map tables' contents in the caller's transaction
-- and marks it a preview, so the deferred guard of migration 0009 refuses to
-- commit it whoever calls it: the caller analyses the rebuilt map and rolls
-- back (to a savepoint, to compare with the present). Readers may call it; it
-- holds row locks on the map until the caller's transaction ends.

CREATE FUNCTION history_begins() RETURNS timestamptz LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT applied_at FROM schema_migrations WHERE version = 9
$$;

CREATE FUNCTION rewind_map(moment timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    -- parents before children: inserts run in this order, deletes in reverse
    tables constant text[] := ARRAY['source', 'map_info', 'issue_area', 'region', 'stakeholder_group', 'mechanism',
                                    'mechanism_area', 'mechanism_relation', 'mechanism_stakeholder',
                                    'mechanism_region', 'assessment'];
    t text;
    row_key text;
    begins timestamptz := history_begins();
BEGIN
    IF begins IS NULL OR moment < begins THEN
        RAISE EXCEPTION 'history begins at %: the map cannot be rebuilt as it was recorded at %', begins, moment
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('govmap.preview', 'on', true);
    INSERT INTO publish_guard VALUES ('preview');
    PERFORM set_config('govmap.guarded', 'preview', true);

    FOREACH t IN ARRAY tables LOOP
        row_key := CASE t WHEN 'map_info' THEN 'x.key' ELSE 'x.id::text' END;
        EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', 'rewound_' || t);
        EXECUTE format(
            'CREATE TEMP TABLE %1$I ON COMMIT DROP AS '
            'SELECT x.* FROM %2$I x WHERE NOT EXISTS ('
            '    SELECT 1 FROM history h WHERE h.table_name = %2$L AND h.at > $1'
            '       AND coalesce(h.row_id::text, h.row_key) = %3$s) '
            'UNION ALL '
            'SELECT (jsonb_populate_record(NULL::%2$I, f.before)).* FROM ('
            '    SELECT DISTINCT ON (coalesce(h.row_id::text, h.row_key)) h.before FROM history h'
            '     WHERE h.table_name = %2$L AND h.at > $1'
            '     ORDER BY coalesce(h.row_id::text, h.row_key), h.id) f '
            'WHERE f.before IS NOT NULL',
            'rewound_' || t, t, row_key) USING moment;
    END LOOP;
    FOR i IN REVERSE array_length(tables, 1) .. 1 LOOP
        EXECUTE format('DELETE FROM %I', tables[i]);
    END LOOP;
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('INSERT INTO %I SELECT * FROM pg_temp.%I %s', t, 'rewound_' || t,
                       CASE t WHEN 'issue_area' THEN 'ORDER BY level'
                              WHEN 'region' THEN 'ORDER BY parent_id IS NOT NULL' ELSE '' END);
    END LOOP;
END $$;

REVOKE ALL ON FUNCTION rewind_map(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rewind_map(timestamptz) TO govmap_reader;
GRANT EXECUTE ON FUNCTION history_begins() TO govmap_reader;

-- Migration 0009 left this view out of the readers' grants, so a reader could
-- not run the gap report.
GRANT SELECT ON issue_area_closure TO govmap_reader;
