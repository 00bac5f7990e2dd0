-- Contributors and reviewers (docs/contributing-data.md, docs/schema.md):
--   * proposals hold a contributor's inserts, changes and removals beside the
--     accepted map, which only an accepted proposal (or a reviewer's direct
--     import) changes;
--   * history records every change to the map tables, append-only;
--   * group roles with least-privilege grants and row-level security.

-- ------------------------------------------------------------------ roles
-- Group roles are cluster-wide: created once, tolerant of a concurrent
-- migration of another database creating them at the same moment.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['govmap_reader', 'govmap_contributor', 'govmap_reviewer', 'govmap_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END $$;

DO $$
DECLARE
    pair text[];
BEGIN
    FOREACH pair SLICE 1 IN ARRAY ARRAY[['govmap_reader', 'govmap_contributor'],
                                        ['govmap_contributor', 'govmap_reviewer'],
                                        ['govmap_reviewer', 'govmap_admin']] LOOP
        IF NOT pg_has_role(pair[2], pair[1], 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', pair[1], pair[2]);
            EXCEPTION WHEN unique_violation OR duplicate_object THEN
                NULL;
            END;
        END IF;
    END LOOP;
END $$;

-- The owner of the map tables (who ran the migrations) and superusers are
-- the single-user default: they act for the OS user govmap names.
CREATE FUNCTION is_owner(who name) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = who), false)
        OR pg_has_role(who, (SELECT relowner FROM pg_class WHERE oid = 'mechanism'::regclass), 'MEMBER')
$$;

-- A login of one of govmap's group roles (govmap user add).
CREATE FUNCTION is_govmap_user(who name) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT is_owner(who) AND pg_has_role(who, 'govmap_reader', 'MEMBER')
$$;

-- Who is acting: the database role when roles are in use (it cannot be
-- spoofed); otherwise the name govmap passes in govmap.actor (the OS user).
CREATE FUNCTION actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN is_govmap_user(session_user) THEN session_user::text
                ELSE coalesce(nullif(current_setting('govmap.actor', true), ''), session_user::text) END
$$;

CREATE FUNCTION may_review() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT is_owner(session_user) OR pg_has_role(session_user, 'govmap_reviewer', 'MEMBER')
$$;

CREATE FUNCTION may_administer() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT is_owner(session_user) OR pg_has_role(session_user, 'govmap_admin', 'MEMBER')
$$;

-- ------------------------------------------------------------------ proposals
CREATE TYPE proposal_status AS ENUM ('open', 'accepted', 'rejected', 'withdrawn');

CREATE TABLE proposal (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    summary          text NOT NULL CHECK (btrim(summary) <> '' AND length(summary) <= 2000),
    author           text NOT NULL DEFAULT actor(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    status           proposal_status NOT NULL DEFAULT 'open',
    decided_by       text,
    decided_at       timestamptz,
    note             text CHECK (length(note) <= 2000),
    -- New mechanisms the contributor said are not duplicates (--allow-duplicate).
    allow_duplicates text[] NOT NULL DEFAULT '{}',
    CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX ON proposal (status);

-- One record of a proposal, in the import format's terms (docs/import-format.md):
-- `fields` holds the record's key and the fields it sets; references are
-- canonical keys (slug, code, source key). `before` is the accepted record
-- and `base_version` its version when the proposal was made (NULL: new).
CREATE TABLE proposal_record (
    proposal_id  bigint NOT NULL REFERENCES proposal (id) ON DELETE RESTRICT,
    seq          integer NOT NULL,
    type         text NOT NULL,
    op           text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    location     text NOT NULL,
    fields       jsonb NOT NULL,
    before       jsonb,
    base_version integer,
    PRIMARY KEY (proposal_id, seq)
);

-- ------------------------------------------------------------------ records
-- The accepted map in the import format's terms, one view per record type:
-- what proposals are compared with and `review show` prints.
CREATE VIEW record_sources AS
    SELECT s.id, s.version, s.key, s.title, s.url, s.published::text AS published, s.publisher
      FROM source s;

CREATE VIEW record_map_info AS
    SELECT NULL::bigint AS id, NULL::integer AS version, i.key, i.value FROM map_info i;

CREATE VIEW record_areas AS
    SELECT a.id, a.version, a.code, a.name, a.level::text AS level, p.code AS parent, a.description, a.note,
           s.key AS source
      FROM issue_area a LEFT JOIN issue_area p ON p.id = a.parent_id LEFT JOIN source s ON s.id = a.source_id;

CREATE VIEW record_mechanisms AS
    SELECT m.id, m.version, m.slug, m.name, m.acronym, m.kind::text AS kind, m.scope::text AS scope,
           m.model::text AS model, m.centrality::text AS centrality, m.status::text AS status,
           m.founded::text AS founded, m.ended::text AS ended, m.url, m.description,
           m.open_participation::text AS open_participation, m.authority, m.note, s.key AS source
      FROM mechanism m LEFT JOIN source s ON s.id = m.source_id;

CREATE VIEW record_mechanism_areas AS
    SELECT e.id, e.version, m.slug AS mechanism, a.code AS area, e.strength::text AS strength, e.note,
           e.valid_from::text AS valid_from, e.valid_to::text AS valid_to, s.key AS source
      FROM mechanism_area e JOIN mechanism m ON m.id = e.mechanism_id JOIN issue_area a ON a.id = e.area_id
      LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_relations AS
    SELECT e.id, e.version, f.slug AS "from", e.kind::text AS kind, t.slug AS "to", e.note,
           e.valid_from::text AS valid_from, e.valid_to::text AS valid_to, s.key AS source
      FROM mechanism_relation e JOIN mechanism f ON f.id = e.from_id JOIN mechanism t ON t.id = e.to_id
      LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_stakeholders AS
    SELECT e.id, e.version, m.slug AS mechanism, g.code AS "group", e.role::text AS role, e.note,
           e.valid_from::text AS valid_from, e.valid_to::text AS valid_to, s.key AS source
      FROM mechanism_stakeholder e JOIN mechanism m ON m.id = e.mechanism_id
      JOIN stakeholder_group g ON g.id = e.stakeholder_group_id LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_regions AS
    SELECT e.id, e.version, m.slug AS mechanism, r.code AS region, e.note,
           e.valid_from::text AS valid_from, e.valid_to::text AS valid_to, s.key AS source
      FROM mechanism_region e JOIN mechanism m ON m.id = e.mechanism_id JOIN region r ON r.id = e.region_id
      LEFT JOIN source s ON s.id = e.source_id;

CREATE VIEW record_assessments AS
    SELECT e.id, e.version, m.slug AS mechanism, e.principle::text AS principle, e.score::text AS score,
           e.evidence, s.key AS source
      FROM assessment e JOIN mechanism m ON m.id = e.mechanism_id LEFT JOIN source s ON s.id = e.source_id;

-- ------------------------------------------------------------------ history
-- Append-only: rows are only ever inserted, by the trigger below (as the
-- owner, whatever role made the change); UPDATE, DELETE and TRUNCATE are
-- refused for every role, the owner included, and granted to nobody.
CREATE TABLE history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    txid        bigint NOT NULL DEFAULT txid_current(),
    actor       text NOT NULL DEFAULT actor(),
    table_name  text NOT NULL,
    operation   text NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    row_id      bigint,
    row_key     text,
    before      jsonb,
    after       jsonb,
    proposal_id bigint REFERENCES proposal (id) ON DELETE RESTRICT,
    -- accepted (through a proposal), direct (a reviewer's import) or migration.
    decision    text NOT NULL
);
CREATE INDEX ON history (at);
CREATE INDEX ON history (row_key);
CREATE INDEX ON history (proposal_id);

CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % is not allowed', lower(TG_OP)
          USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- The key a person knows a row by: a slug, code or key, or the edge's ends.
CREATE FUNCTION history_key(table_name text, r jsonb) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE table_name
        WHEN 'mechanism' THEN r->>'slug'
        WHEN 'issue_area' THEN r->>'code'
        WHEN 'source' THEN r->>'key'
        WHEN 'map_info' THEN r->>'key'
        WHEN 'stakeholder_group' THEN r->>'code'
        WHEN 'region' THEN r->>'code'
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

-- One set-based insert per statement (transition tables), so a bulk import
-- costs one history statement per table, not one per row. A preview of open
-- proposals is never committed (see the guard below): nothing to record.
CREATE FUNCTION record_history() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    p bigint := nullif(current_setting('govmap.proposal', true), '')::bigint;
    d text := CASE WHEN nullif(current_setting('govmap.proposal', true), '') IS NOT NULL THEN 'accepted'
                   ELSE coalesce(nullif(current_setting('govmap.decision', true), ''), 'direct') END;
BEGIN
    IF current_setting('govmap.preview', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO history (table_name, operation, row_id, row_key, after, proposal_id, decision)
        SELECT TG_TABLE_NAME, 'insert', (j->>'id')::bigint, history_key(TG_TABLE_NAME, j), j, p, d
          FROM (SELECT to_jsonb(n) AS j FROM new_rows n) x;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO history (table_name, operation, row_id, row_key, before, proposal_id, decision)
        SELECT TG_TABLE_NAME, 'delete', (j->>'id')::bigint, history_key(TG_TABLE_NAME, j), j, p, d
          FROM (SELECT to_jsonb(o) AS j FROM old_rows o) x;
    ELSE
        INSERT INTO history (table_name, operation, row_id, row_key, before, after, proposal_id, decision)
        SELECT TG_TABLE_NAME, 'update', (a->>'id')::bigint, history_key(TG_TABLE_NAME, a), b, a, p, d
          FROM (SELECT to_jsonb(o) AS b, to_jsonb(n) AS a
                  FROM old_rows o JOIN new_rows n
                    ON coalesce(to_jsonb(o)->>'id', to_jsonb(o)->>'key') = coalesce(to_jsonb(n)->>'id', to_jsonb(n)->>'key')) x
         WHERE a IS DISTINCT FROM b;
    END IF;
    RETURN NULL;
END $$;

-- ------------------------------------------------------------------ the guard
-- Contributors may write to the map tables inside a transaction (that is how
-- a proposal is compared with the map and how --include-proposed shows the
-- map as if every open proposal were accepted), but such a transaction can
-- never commit: the deferred trigger on publish_guard refuses it. Only a
-- reviewer's (or the owner's) transaction that is not a preview commits.
CREATE TABLE publish_guard (reason text NOT NULL);

CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reason = 'preview' THEN
        RAISE EXCEPTION 'a preview of open proposals (--include-proposed) is never committed'
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'permission denied: only a reviewer changes the accepted map'
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'make a proposal instead (govmap add, edit, link, remove, or import --status proposed)';
END $$;

CREATE CONSTRAINT TRIGGER publish_guard_refuse AFTER INSERT ON publish_guard
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();

CREATE FUNCTION guard_map_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    reason text := CASE WHEN current_setting('govmap.preview', true) = 'on' THEN 'preview'
                        WHEN NOT may_review() THEN 'not a reviewer' END;
BEGIN
    IF reason IS NOT NULL AND coalesce(current_setting('govmap.guarded', true), '') = '' THEN
        INSERT INTO publish_guard VALUES (reason);
        PERFORM set_config('govmap.guarded', reason, true);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['source', 'map_info', 'issue_area', 'mechanism', 'stakeholder_group', 'region',
                             'mechanism_area', 'mechanism_relation', 'mechanism_stakeholder',
                             'mechanism_region', 'assessment'] LOOP
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

-- ------------------------------------------------------------------ users
-- govmap user add: the password arrives already hashed (SCRAM, made by
-- libpq on the client), so no clear text reaches the server or its logs.
CREATE FUNCTION add_user(login text, role text, password_hash text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NOT may_administer() THEN
        RAISE EXCEPTION 'permission denied: only an admin adds users' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF role NOT IN ('reader', 'contributor', 'reviewer', 'admin') THEN
        RAISE EXCEPTION 'unknown role "%" (reader, contributor, reviewer or admin)', role
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF login !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'a user name is lowercase letters, digits, "_", "." or "-" (at most 63)'
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF password_hash !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 hash' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', login, password_hash);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, password_hash);
    END IF;
    EXECUTE format('GRANT %I TO %I', 'govmap_' || role, login);
END $$;

REVOKE ALL ON FUNCTION add_user(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add_user(text, text, text) TO govmap_admin;

-- ------------------------------------------------------------------ grants and RLS
GRANT SELECT ON schema_migrations, history, graph_node, graph_edge, region_closure,
      record_sources, record_map_info, record_areas, record_mechanisms, record_mechanism_areas,
      record_relations, record_stakeholders, record_regions, record_assessments TO govmap_reader;
GRANT USAGE ON SEQUENCE node_id_seq, edge_id_seq TO govmap_contributor;
GRANT SELECT, INSERT ON proposal, proposal_record TO govmap_contributor;
GRANT UPDATE (status, decided_by, decided_at, note) ON proposal TO govmap_contributor;

ALTER TABLE proposal ENABLE ROW LEVEL SECURITY;
ALTER TABLE proposal_record ENABLE ROW LEVEL SECURITY;

CREATE POLICY proposal_read ON proposal FOR SELECT TO govmap_contributor USING (true);
CREATE POLICY proposal_create ON proposal FOR INSERT TO govmap_contributor
    WITH CHECK (author = session_user AND status = 'open');
-- A contributor withdraws only their own open proposals.
CREATE POLICY proposal_withdraw ON proposal FOR UPDATE TO govmap_contributor
    USING (author = session_user AND status = 'open')
    WITH CHECK (author = session_user AND status IN ('open', 'withdrawn') AND decided_by IS NOT DISTINCT FROM session_user::text);
-- Only a reviewer accepts or rejects, and is recorded as the one who did.
CREATE POLICY proposal_decide ON proposal FOR UPDATE TO govmap_reviewer
    USING (status = 'open')
    WITH CHECK (status IN ('accepted', 'rejected') AND decided_by = session_user::text);

CREATE POLICY proposal_record_read ON proposal_record FOR SELECT TO govmap_contributor USING (true);
CREATE POLICY proposal_record_create ON proposal_record FOR INSERT TO govmap_contributor
    WITH CHECK (EXISTS (SELECT 1 FROM proposal p
                         WHERE p.id = proposal_id AND p.author = session_user AND p.status = 'open'));

-- ------------------------------------------------------------------ earlier proposed rows
-- Before this migration a proposal was a row with review_status proposed in
-- the map tables (and could overwrite an accepted row in place). Such rows
-- become proposals, one per contributor and status, and leave the map tables;
-- links of accepted rows to them go with them.
DO $$
DECLARE
    t record;
    p record;
    pid bigint;
BEGIN
    PERFORM set_config('govmap.decision', 'migration', true);
    FOR p IN
        SELECT contributed_by, review_status FROM (
            SELECT contributed_by, review_status FROM source UNION SELECT contributed_by, review_status FROM issue_area
            UNION SELECT contributed_by, review_status FROM mechanism
            UNION SELECT contributed_by, review_status FROM mechanism_area
            UNION SELECT contributed_by, review_status FROM mechanism_relation
            UNION SELECT contributed_by, review_status FROM mechanism_stakeholder
            UNION SELECT contributed_by, review_status FROM mechanism_region
            UNION SELECT contributed_by, review_status FROM assessment
            UNION SELECT contributed_by, review_status FROM map_info) x
         WHERE review_status <> 'accepted' ORDER BY 1, 2
    LOOP
        INSERT INTO proposal (summary, author, status, decided_by, decided_at, note)
        VALUES ('rows imported with review status ' || p.review_status || ' before proposals existed',
                p.contributed_by,
                CASE p.review_status WHEN 'proposed' THEN 'open' ELSE 'rejected' END::proposal_status,
                CASE WHEN p.review_status = 'rejected' THEN 'migration' END,
                CASE WHEN p.review_status = 'rejected' THEN now() END,
                CASE WHEN p.review_status = 'rejected' THEN 'rejected before proposals existed' END)
        RETURNING id INTO pid;
        FOR t IN SELECT * FROM (VALUES
                    (1, 'sources', 'source', 'record_sources', 'true'),
                    (2, 'map_info', 'map_info', 'record_map_info', 'true'),
                    (3, 'areas', 'issue_area', 'record_areas', 'true'),
                    (4, 'mechanisms', 'mechanism', 'record_mechanisms', 'true'),
                    (5, 'mechanism_areas', 'mechanism_area', 'record_mechanism_areas', 'true'),
                    (6, 'relations', 'mechanism_relation', 'record_relations', 'true'),
                    (7, 'stakeholders', 'mechanism_stakeholder', 'record_stakeholders', 'true'),
                    (8, 'regions', 'mechanism_region', 'record_regions', 'true'),
                    (9, 'assessments', 'assessment', 'record_assessments', 'true')) v(ord, type, tab, view, x)
                 ORDER BY ord LOOP
            EXECUTE format(
                'INSERT INTO proposal_record (proposal_id, seq, type, op, location, fields) '
                'SELECT $1, coalesce((SELECT max(seq) FROM proposal_record WHERE proposal_id = $1), 0) + '
                '       row_number() OVER (), $2, ''insert'', ''before migration 0009'', '
                '       jsonb_strip_nulls(to_jsonb(r) - ''id'' - ''version'') '
                '  FROM %I r JOIN %I t ON %s '
                ' WHERE t.contributed_by = $3 AND t.review_status = $4::review_status',
                t.view, t.tab,
                CASE WHEN t.tab = 'map_info' THEN 'r.key = t.key' ELSE 'r.id = t.id' END)
            USING pid, t.type, p.contributed_by, p.review_status;
        END LOOP;
    END LOOP;
    -- Links first, then the rows they hang on (deleting a node cascades).
    DELETE FROM mechanism_area e USING mechanism m WHERE e.mechanism_id = m.id AND m.review_status <> 'accepted';
    DELETE FROM mechanism_area WHERE review_status <> 'accepted';
    DELETE FROM mechanism_relation e USING mechanism m
     WHERE (e.from_id = m.id OR e.to_id = m.id) AND m.review_status <> 'accepted';
    DELETE FROM mechanism_relation WHERE review_status <> 'accepted';
    DELETE FROM mechanism_stakeholder e USING mechanism m WHERE e.mechanism_id = m.id AND m.review_status <> 'accepted';
    DELETE FROM mechanism_stakeholder WHERE review_status <> 'accepted';
    DELETE FROM mechanism_region e USING mechanism m WHERE e.mechanism_id = m.id AND m.review_status <> 'accepted';
    DELETE FROM mechanism_region WHERE review_status <> 'accepted';
    DELETE FROM assessment e USING mechanism m WHERE e.mechanism_id = m.id AND m.review_status <> 'accepted';
    DELETE FROM assessment WHERE review_status <> 'accepted';
    DELETE FROM mechanism WHERE review_status <> 'accepted';
    DELETE FROM issue_area WHERE review_status <> 'accepted' AND level = 'issue';
    DELETE FROM issue_area WHERE review_status <> 'accepted' AND level = 'area';
    DELETE FROM issue_area WHERE review_status <> 'accepted';
    DELETE FROM map_info WHERE review_status <> 'accepted';
    DELETE FROM source s WHERE review_status <> 'accepted'
       AND NOT EXISTS (SELECT 1 FROM mechanism WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM issue_area WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM mechanism_area WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM mechanism_relation WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM mechanism_stakeholder WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM mechanism_region WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM assessment WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM stakeholder_group WHERE source_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM region WHERE source_id = s.id);
    -- A proposed source that accepted rows still cite stays, now accepted.
    UPDATE source SET review_status = 'accepted' WHERE review_status <> 'accepted';
END $$;
