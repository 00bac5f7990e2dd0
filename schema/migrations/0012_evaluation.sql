-- Evaluation: mechanisms observed against shared frameworks, on evidence.
--
-- A framework (the NETmundial process principles, the IGF's mandate in Tunis
-- Agenda paragraph 72, ...) is a set of criteria. A criterion is settled by
-- indicators: observable practices ("publishes records of its meetings")
-- that a fact can settle. An indicator may serve criteria of several
-- frameworks, so one piece of evidence counts wherever it applies. An
-- observation records, for one mechanism, indicator and assessor (the
-- organisation or community that observed), yes, partly or no, with evidence,
-- source and the years it held. Ratings are derived, never stored: see
-- criterion_ratings() below and docs/evaluation.md.

CREATE TYPE observation_value AS ENUM ('yes', 'partly', 'no');
CREATE TYPE criterion_rating AS ENUM ('met', 'partly', 'not_met', 'disputed', 'unknown');

CREATE TABLE framework (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    key            text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE TABLE criterion (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    key            text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    framework_id   bigint NOT NULL REFERENCES framework (id) ON DELETE CASCADE,
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE INDEX ON criterion (framework_id);

CREATE TABLE indicator (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    key            text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    text           text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 500),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE TABLE criterion_indicator (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    criterion_id   bigint NOT NULL REFERENCES criterion (id) ON DELETE CASCADE,
    indicator_id   bigint NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (criterion_id, indicator_id)
);
CREATE INDEX ON criterion_indicator (indicator_id);

CREATE TABLE assessor (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    key            text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    url            text CHECK (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

-- One observation per mechanism, indicator and assessor; an earlier one an
-- assessor replaces stays in history.
CREATE TABLE observation (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    mechanism_id   bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    indicator_id   bigint NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    assessor_id    bigint NOT NULL REFERENCES assessor (id) ON DELETE CASCADE,
    value          observation_value NOT NULL,
    evidence       text CHECK (length(evidence) <= 2000),
    observer       text CHECK (length(observer) <= 200),
    observed       date,
    valid_from     smallint CHECK (valid_from BETWEEN 1800 AND 2100),
    valid_to       smallint CHECK (valid_to BETWEEN 1800 AND 2100),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'accepted',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (mechanism_id, indicator_id, assessor_id),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ON observation (indicator_id);
CREATE INDEX ON observation (assessor_id);

-- ------------------------------------------------------------------ ratings
-- An indicator's value for one mechanism: the observations of the chosen
-- assessor (every assessor when NULL) that held during as_of (any time when
-- NULL); 'disputed' when they disagree.
CREATE FUNCTION indicator_values(assessor_key text DEFAULT NULL, as_of smallint DEFAULT NULL)
RETURNS TABLE (mechanism_id bigint, indicator_id bigint, value text, observations integer)
LANGUAGE sql STABLE AS $$
    SELECT o.mechanism_id, o.indicator_id,
           CASE WHEN count(DISTINCT o.value) > 1 THEN 'disputed' ELSE min(o.value::text) END,
           count(*)::integer
      FROM observation o JOIN assessor a ON a.id = o.assessor_id
     WHERE (assessor_key IS NULL OR a.key = assessor_key) AND held_in(o.valid_from, o.valid_to, as_of)
     GROUP BY o.mechanism_id, o.indicator_id
$$;

-- The rating rule, in one place: a criterion's rating is that of its observed
-- indicators (disputed ones aside): met when every one is yes, not_met when
-- every one is no, partly otherwise; disputed when assessors disagree on all
-- that were observed; unknown when none was observed. "No observation" is
-- never "not met". Rows only for mechanisms with an observation in the
-- framework; every other mechanism is unknown on every criterion.
CREATE FUNCTION criterion_ratings(framework_key text, assessor_key text DEFAULT NULL, as_of smallint DEFAULT NULL)
RETURNS TABLE (mechanism_id bigint, criterion_id bigint, rating criterion_rating, yes integer, partly integer,
               no integer, disputed integer, unknown integer)
LANGUAGE sql STABLE AS $$
    WITH criteria AS (
        SELECT c.id, ci.indicator_id
          FROM criterion c JOIN framework f ON f.id = c.framework_id
          JOIN criterion_indicator ci ON ci.criterion_id = c.id
         WHERE f.key = framework_key),
    observed AS (
        SELECT v.* FROM indicator_values(assessor_key, as_of) v
         WHERE v.indicator_id IN (SELECT indicator_id FROM criteria)),
    counts AS (
        SELECT m.mechanism_id, c.id AS criterion_id,
               count(*) FILTER (WHERE v.value = 'yes')::integer AS yes,
               count(*) FILTER (WHERE v.value = 'partly')::integer AS partly,
               count(*) FILTER (WHERE v.value = 'no')::integer AS no,
               count(*) FILTER (WHERE v.value = 'disputed')::integer AS disputed,
               count(*) FILTER (WHERE v.value IS NULL)::integer AS unknown
          FROM (SELECT DISTINCT mechanism_id FROM observed) m
          CROSS JOIN criteria c
          LEFT JOIN observed v ON v.mechanism_id = m.mechanism_id AND v.indicator_id = c.indicator_id
         GROUP BY m.mechanism_id, c.id)
    SELECT mechanism_id, criterion_id,
           CASE WHEN yes + partly + no = 0 AND disputed > 0 THEN 'disputed'
                WHEN yes + partly + no = 0 THEN 'unknown'
                WHEN partly = 0 AND no = 0 THEN 'met'
                WHEN yes = 0 AND partly = 0 THEN 'not_met'
                ELSE 'partly' END::criterion_rating,
           yes, partly, no, disputed, unknown
      FROM counts
$$;

-- ------------------------------------------------------------------ records
-- The import format's view of each new type (proposals are compared with it).
CREATE VIEW record_frameworks AS
    SELECT e.id, e.version, e.key, e.name, e.description, s.key AS source
      FROM framework e LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_criteria AS
    SELECT e.id, e.version, e.key, f.key AS framework, e.name, e.description, s.key AS source
      FROM criterion e JOIN framework f ON f.id = e.framework_id LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_indicators AS
    SELECT e.id, e.version, e.key, e.text, e.description, s.key AS source
      FROM indicator e LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_criterion_indicators AS
    SELECT e.id, e.version, c.key AS criterion, i.key AS indicator, s.key AS source
      FROM criterion_indicator e JOIN criterion c ON c.id = e.criterion_id JOIN indicator i ON i.id = e.indicator_id
      LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_assessors AS
    SELECT e.id, e.version, e.key, e.name, e.url, e.description, s.key AS source
      FROM assessor e LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_observations AS
    SELECT e.id, e.version, m.slug AS mechanism, i.key AS indicator, a.key AS assessor, e.value::text AS value,
           e.evidence, s.key AS source, e.observer, e.observed::text AS observed, e.valid_from::text AS valid_from,
           e.valid_to::text AS valid_to
      FROM observation e JOIN mechanism m ON m.id = e.mechanism_id JOIN indicator i ON i.id = e.indicator_id
      JOIN assessor a ON a.id = e.assessor_id LEFT JOIN source s ON s.id = e.source_id;

-- ------------------------------------------------------------------ history, guard, grants
CREATE OR REPLACE FUNCTION history_key(table_name text, r jsonb) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE table_name
        WHEN 'mechanism' THEN r->>'slug'
        WHEN 'issue_area' THEN r->>'code'
        WHEN 'source' THEN r->>'key'
        WHEN 'map_info' THEN r->>'key'
        WHEN 'stakeholder_group' THEN r->>'code'
        WHEN 'region' THEN r->>'code'
        WHEN 'framework' THEN r->>'key'
        WHEN 'criterion' THEN r->>'key'
        WHEN 'indicator' THEN r->>'key'
        WHEN 'assessor' THEN r->>'key'
        WHEN 'criterion_indicator' THEN
            (SELECT key FROM criterion WHERE id = (r->>'criterion_id')::bigint) || ' ' ||
            (SELECT key FROM indicator WHERE id = (r->>'indicator_id')::bigint)
        WHEN 'observation' THEN
            (SELECT slug FROM mechanism WHERE id = (r->>'mechanism_id')::bigint) || ' ' ||
            (SELECT key FROM indicator WHERE id = (r->>'indicator_id')::bigint) || ' ' ||
            (SELECT key FROM assessor WHERE id = (r->>'assessor_id')::bigint)
        WHEN 'mechanism_relation' THEN
            (SELECT slug FROM mechanism WHERE id = (r->>'from_id')::bigint) || ' ' || (r->>'kind') || ' ' ||
            (SELECT slug FROM mechanism WHERE id = (r->>'to_id')::bigint)
        ELSE (SELECT slug FROM mechanism WHERE id = (r->>'mechanism_id')::bigint) || ' ' ||
            coalesce((SELECT code FROM issue_area WHERE id = (r->>'area_id')::bigint),
                     (SELECT code FROM region WHERE id = (r->>'region_id')::bigint),
                     (SELECT code FROM stakeholder_group WHERE id = (r->>'stakeholder_group_id')::bigint),
                     r->>'principle')
    END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['framework', 'criterion', 'indicator', 'criterion_indicator', 'assessor',
                             'observation'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION touch_row()',
                       t || '_touch', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_history()', t || '_history_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_history()', t || '_history_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_history()', t || '_history_delete', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION guard_map_write()', t || '_guard', t);
        EXECUTE format('GRANT SELECT ON %I TO govmap_reader', t);
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO govmap_contributor', t);
    END LOOP;
END $$;

GRANT SELECT ON record_frameworks, record_criteria, record_indicators, record_criterion_indicators,
      record_assessors, record_observations TO govmap_reader;

-- rewind_map (migration 0010) rebuilds these tables too.
CREATE OR REPLACE FUNCTION rewind_map(moment timestamptz) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    -- parents before children: inserts run in this order, deletes in reverse
    tables constant text[] := ARRAY['source', 'map_info', 'issue_area', 'region', 'stakeholder_group', 'mechanism',
                                    'mechanism_area', 'mechanism_relation', 'mechanism_stakeholder',
                                    'mechanism_region', 'assessment', 'framework', 'criterion', 'indicator',
                                    'criterion_indicator', 'assessor', 'observation'];
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
