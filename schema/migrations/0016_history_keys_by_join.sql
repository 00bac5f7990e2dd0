-- History rows named by joins. Migration 0009 named every recorded row with
-- history_key(), a function the planner cannot inline, whose scalar
-- subqueries look the referenced mechanism, area, region or group up one
-- row at a time: for 250 000 new mechanism-area links that was 7.4 s of the
-- 11 s the history trigger took (the insert itself: 3.5 s). Rows of the
-- link tables are now named by hash joins on their typed columns; every other
-- table's key is a column of the row itself. The keys are the same text as
-- history_key's, which stays for single rows.
CREATE OR REPLACE FUNCTION record_history() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    p    bigint := nullif(current_setting('govmap.proposal', true), '')::bigint;
    d    text := CASE WHEN nullif(current_setting('govmap.proposal', true), '') IS NOT NULL THEN 'accepted'
                      ELSE coalesce(nullif(current_setting('govmap.decision', true), ''), 'direct') END;
    -- FROM ... of the transition table (%1$I) aliased x ~~ the key of x.
    keyed text := CASE TG_TABLE_NAME
        WHEN 'mechanism_area' THEN
            '%1$I x LEFT JOIN mechanism m ON m.id = x.mechanism_id LEFT JOIN issue_area a ON a.id = x.area_id ~~ '
            'm.slug || '' '' || a.code'
        WHEN 'mechanism_stakeholder' THEN
            '%1$I x LEFT JOIN mechanism m ON m.id = x.mechanism_id '
            'LEFT JOIN stakeholder_group g ON g.id = x.stakeholder_group_id ~~ m.slug || '' '' || g.code'
        WHEN 'mechanism_region' THEN
            '%1$I x LEFT JOIN mechanism m ON m.id = x.mechanism_id LEFT JOIN region r ON r.id = x.region_id ~~ '
            'm.slug || '' '' || r.code'
        WHEN 'mechanism_relation' THEN
            '%1$I x LEFT JOIN mechanism f ON f.id = x.from_id LEFT JOIN mechanism t ON t.id = x.to_id ~~ '
            'f.slug || '' '' || x.kind::text || '' '' || t.slug'
        WHEN 'assessment' THEN
            '%1$I x LEFT JOIN mechanism m ON m.id = x.mechanism_id ~~ m.slug || '' '' || x.principle::text'
        WHEN 'observation' THEN
            '%1$I x LEFT JOIN mechanism m ON m.id = x.mechanism_id LEFT JOIN indicator i ON i.id = x.indicator_id '
            'LEFT JOIN assessor s ON s.id = x.assessor_id ~~ m.slug || '' '' || i.key || '' '' || s.key'
        WHEN 'criterion_indicator' THEN
            '%1$I x LEFT JOIN criterion c ON c.id = x.criterion_id LEFT JOIN indicator i ON i.id = x.indicator_id ~~ '
            'c.key || '' '' || i.key'
        ELSE '%1$I x ~~ NULL::text'
    END;
    from_part text := split_part(keyed, ' ~~ ', 1);
    key_part  text := split_part(keyed, ' ~~ ', 2);
BEGIN
    IF current_setting('govmap.preview', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- k: each row as jsonb once (OFFSET 0 keeps the planner from computing
    -- it again per use) with its key; a key still NULL (the other tables, or
    -- a row whose referent went in the same statement) is history_key's.
    IF TG_OP IN ('INSERT', 'DELETE') THEN
        EXECUTE format('INSERT INTO history (actor, txid, table_name, operation, row_id, row_key, '
                       || CASE TG_OP WHEN 'INSERT' THEN 'after' ELSE 'before' END
                       || ', proposal_id, decision) SELECT $1, $2, $3, $6, (k.j->>''id'')::bigint, '
                       'coalesce(k.key, history_key($3, k.j)), k.j, $4, $5 '
                       'FROM (SELECT to_jsonb(x) AS j, ' || key_part || ' AS key FROM ' || from_part || ' OFFSET 0) k',
                       CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END)
            USING actor(), txid_current(), TG_TABLE_NAME, p, d, lower(TG_OP);
    ELSE
        -- Old and new rows paired by id (or key), as in 0009; only rows that changed.
        EXECUTE format('INSERT INTO history (actor, txid, table_name, operation, row_id, row_key, before, after, '
                       'proposal_id, decision) SELECT $1, $2, $3, ''update'', (k.j->>''id'')::bigint, '
                       'coalesce(k.key, history_key($3, k.j)), o.b, k.j, $4, $5 '
                       'FROM (SELECT to_jsonb(x) AS j, ' || key_part || ' AS key FROM ' || from_part || ' OFFSET 0) k '
                       'JOIN (SELECT to_jsonb(y) AS b FROM old_rows y OFFSET 0) o '
                       'ON coalesce(o.b->>''id'', o.b->>''key'') = coalesce(k.j->>''id'', k.j->>''key'') '
                       'WHERE k.j IS DISTINCT FROM o.b', 'new_rows')
            USING actor(), txid_current(), TG_TABLE_NAME, p, d;
    END IF;
    RETURN NULL;
END $$;
