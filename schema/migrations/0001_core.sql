-- govmap schema v1: the mapping of Internet-governance mechanisms to issue areas.
-- Documented in docs/schema.md, which is a public interface.

-- Node ids come from one sequence and edge ids from another, so that
-- graph_node and graph_edge present unique integer ids across all tables.
CREATE SEQUENCE node_id_seq;
CREATE SEQUENCE edge_id_seq;

CREATE TYPE review_status      AS ENUM ('proposed', 'accepted', 'rejected');
CREATE TYPE area_level         AS ENUM ('cluster', 'area', 'issue');
CREATE TYPE mechanism_kind     AS ENUM ('organisation', 'forum', 'process', 'event', 'instrument', 'network');
CREATE TYPE mechanism_scope    AS ENUM ('global', 'regional', 'national');
CREATE TYPE governance_model   AS ENUM ('intergovernmental', 'multistakeholder', 'private_sector',
                                        'technical_community', 'civil_society');
CREATE TYPE centrality         AS ENUM ('core', 'adjacent');
CREATE TYPE mechanism_status   AS ENUM ('active', 'concluded', 'one_off', 'withdrawn');
CREATE TYPE area_strength      AS ENUM ('primary', 'secondary');
CREATE TYPE relation_kind      AS ENUM ('part_of', 'reports_to', 'feeds_into', 'cooperates_with',
                                        'convened_by', 'succeeded_by');
CREATE TYPE stakeholder_role   AS ENUM ('member', 'observer', 'open_participation');
CREATE TYPE principle          AS ENUM ('openness', 'transparency', 'inclusiveness', 'accountability',
                                        'consensus', 'predictability');

-- Evidence for facts: a document, page or statement.
CREATE TABLE source (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    key            text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(key) <= 100),
    title          text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    url            text UNIQUE CHECK (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048),
    published      date,
    publisher      text CHECK (length(publisher) <= 300),
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

-- Provenance columns shared by every node and edge table below:
--   source_id, contributed_by, created_at, updated_at, review_status, version.

CREATE TABLE issue_area (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    code           text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+([._-][a-z0-9]+)*$' AND length(code) <= 100),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    level          area_level NOT NULL,
    parent_id      bigint REFERENCES issue_area (id) ON DELETE RESTRICT,
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((level = 'cluster') = (parent_id IS NULL))
);

CREATE TABLE mechanism (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    acronym        text CHECK (btrim(acronym) <> '' AND length(acronym) <= 40),
    kind           mechanism_kind NOT NULL,
    scope          mechanism_scope NOT NULL,
    model          governance_model NOT NULL,
    centrality     centrality NOT NULL DEFAULT 'core',
    status         mechanism_status NOT NULL DEFAULT 'active',
    founded        smallint CHECK (founded BETWEEN 1800 AND 2100),
    ended          smallint CHECK (ended BETWEEN 1800 AND 2100),
    url            text CHECK (url ~ '^https?://[^[:space:]]+$' AND length(url) <= 2048),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (ended IS NULL OR founded IS NULL OR ended >= founded),
    CHECK (status IN ('concluded', 'one_off', 'withdrawn') OR ended IS NULL)
);

CREATE TABLE stakeholder_group (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    code           text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(_[a-z0-9]+)*$' AND length(code) <= 100),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    description    text CHECK (length(description) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE TABLE region (
    id             bigint PRIMARY KEY DEFAULT nextval('node_id_seq'),
    code           text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 100),
    m49            char(3) UNIQUE CHECK (m49 ~ '^[0-9]{3}$'),
    name           text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
    parent_id      bigint REFERENCES region (id) ON DELETE RESTRICT,
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (parent_id <> id)
);

-- Edges. Deleting a node deletes its edges (an edge means nothing without
-- both ends); deleting a source that is still cited is refused.

CREATE TABLE mechanism_area (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    mechanism_id   bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    area_id        bigint NOT NULL REFERENCES issue_area (id) ON DELETE CASCADE,
    strength       area_strength NOT NULL DEFAULT 'primary',
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (mechanism_id, area_id)
);

CREATE TABLE mechanism_relation (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    from_id        bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    to_id          bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    kind           relation_kind NOT NULL,
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (from_id, to_id, kind),
    CONSTRAINT mechanism_relation_no_self_loop CHECK (from_id <> to_id)
);

CREATE TABLE mechanism_stakeholder (
    id                   bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    mechanism_id         bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    stakeholder_group_id bigint NOT NULL REFERENCES stakeholder_group (id) ON DELETE CASCADE,
    role                 stakeholder_role NOT NULL DEFAULT 'member',
    source_id            bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by       text NOT NULL DEFAULT current_user,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    review_status        review_status NOT NULL DEFAULT 'proposed',
    version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (mechanism_id, stakeholder_group_id)
);

CREATE TABLE mechanism_region (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    mechanism_id   bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    region_id      bigint NOT NULL REFERENCES region (id) ON DELETE CASCADE,
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (mechanism_id, region_id)
);

CREATE TABLE assessment (
    id             bigint PRIMARY KEY DEFAULT nextval('edge_id_seq'),
    mechanism_id   bigint NOT NULL REFERENCES mechanism (id) ON DELETE CASCADE,
    principle      principle NOT NULL,
    score          smallint NOT NULL CHECK (score BETWEEN 0 AND 3),
    evidence       text CHECK (length(evidence) <= 20000),
    source_id      bigint REFERENCES source (id) ON DELETE RESTRICT,
    contributed_by text NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    review_status  review_status NOT NULL DEFAULT 'proposed',
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (mechanism_id, principle)
);

-- An index for every foreign key (the unique constraints above cover the
-- leading columns of mechanism_area, mechanism_relation, ... already).
CREATE INDEX ON issue_area (parent_id);
CREATE INDEX ON issue_area (source_id);
CREATE INDEX ON mechanism (source_id);
CREATE INDEX ON stakeholder_group (source_id);
CREATE INDEX ON region (parent_id);
CREATE INDEX ON region (source_id);
CREATE INDEX ON mechanism_area (area_id);
CREATE INDEX ON mechanism_area (source_id);
CREATE INDEX ON mechanism_relation (to_id);
CREATE INDEX ON mechanism_relation (source_id);
CREATE INDEX ON mechanism_stakeholder (stakeholder_group_id);
CREATE INDEX ON mechanism_stakeholder (source_id);
CREATE INDEX ON mechanism_region (region_id);
CREATE INDEX ON mechanism_region (source_id);
CREATE INDEX ON assessment (source_id);

-- Row versions: any real change bumps version and updated_at; an UPDATE that
-- changes nothing leaves the row as it was.
CREATE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF row(NEW.*) IS NOT DISTINCT FROM row(OLD.*) THEN
        RETURN NEW;
    END IF;
    NEW.version    := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['source', 'issue_area', 'mechanism', 'stakeholder_group', 'region',
                             'mechanism_area', 'mechanism_relation', 'mechanism_stakeholder',
                             'mechanism_region', 'assessment']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION touch_row()',
                       t || '_touch', t);
    END LOOP;
END $$;

-- The taxonomy is a strict three-level tree: a cluster has no parent, an
-- area's parent is a cluster, an issue's parent is an area.
CREATE FUNCTION check_area_level() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent_level area_level;
BEGIN
    IF NEW.parent_id IS NOT NULL THEN
        SELECT level INTO parent_level FROM issue_area WHERE id = NEW.parent_id;
        IF parent_level IS DISTINCT FROM
           (CASE NEW.level WHEN 'area' THEN 'cluster' WHEN 'issue' THEN 'area' END)::area_level THEN
            RAISE EXCEPTION 'issue area "%" is at level % but its parent is at level %',
                  NEW.code, NEW.level, parent_level
                  USING ERRCODE = 'check_violation', CONSTRAINT = 'issue_area_level_tree';
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.level <> OLD.level
       AND EXISTS (SELECT 1 FROM issue_area WHERE parent_id = NEW.id) THEN
        RAISE EXCEPTION 'cannot change the level of issue area "%": it has children', NEW.code
              USING ERRCODE = 'check_violation', CONSTRAINT = 'issue_area_level_tree';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER issue_area_level_tree BEFORE INSERT OR UPDATE OF level, parent_id ON issue_area
    FOR EACH ROW EXECUTE FUNCTION check_area_level();

-- Regions form a tree too: no cycles through parent_id.
CREATE FUNCTION check_region_tree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        WITH RECURSIVE up(id) AS (
            SELECT NEW.parent_id
            UNION
            SELECT r.parent_id FROM region r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL)
        SELECT 1 FROM up WHERE id = NEW.id) THEN
        RAISE EXCEPTION 'region "%" would be its own ancestor', NEW.code
              USING ERRCODE = 'check_violation', CONSTRAINT = 'region_tree';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER region_tree BEFORE UPDATE OF parent_id ON region
    FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION check_region_tree();

-- part_of and reports_to together form the nesting hierarchy, which must stay
-- acyclic. Checked once per statement over all new rows (set-based, so a bulk
-- COPY is one check, not one per row); an advisory lock serialises writers so
-- that two transactions cannot each add half of a cycle.
CREATE FUNCTION check_nesting_acyclic() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad_from bigint;
    bad_to   bigint;
    cycle    text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE kind IN ('part_of', 'reports_to')) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(7412093318274002);
    WITH RECURSIVE walk(start_from, start_to, node) AS (
        SELECT n.from_id, n.to_id, n.to_id FROM new_rows n WHERE n.kind IN ('part_of', 'reports_to')
        UNION
        SELECT w.start_from, w.start_to, r.to_id
          FROM walk w
          JOIN mechanism_relation r ON r.from_id = w.node AND r.kind IN ('part_of', 'reports_to')
         WHERE w.node <> w.start_from)
    SELECT start_from, start_to INTO bad_from, bad_to FROM walk WHERE node = start_from LIMIT 1;
    IF bad_from IS NULL THEN
        RETURN NULL;
    END IF;
    -- One concrete cycle, for the message.
    WITH RECURSIVE path(node, trail) AS (
        SELECT bad_to, ARRAY[bad_from, bad_to]
        UNION ALL
        SELECT r.to_id, p.trail || r.to_id
          FROM path p
          JOIN mechanism_relation r ON r.from_id = p.node AND r.kind IN ('part_of', 'reports_to')
         WHERE p.node <> bad_from AND NOT r.to_id = ANY (p.trail[2:]))
    SELECT string_agg(m.slug, ' -> ' ORDER BY t.ord) INTO cycle
      FROM (SELECT trail FROM path WHERE node = bad_from ORDER BY cardinality(trail) LIMIT 1) p,
           unnest(p.trail) WITH ORDINALITY AS t(id, ord)
      JOIN mechanism m ON m.id = t.id;
    RAISE EXCEPTION 'part_of/reports_to cycle: %', coalesce(cycle, bad_from::text)
          USING ERRCODE = 'check_violation', CONSTRAINT = 'mechanism_relation_nesting_acyclic',
                HINT = 'a mechanism cannot be nested, directly or indirectly, inside itself';
END $$;

CREATE TRIGGER mechanism_relation_acyclic_insert AFTER INSERT ON mechanism_relation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION check_nesting_acyclic();
CREATE TRIGGER mechanism_relation_acyclic_update AFTER UPDATE ON mechanism_relation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION check_nesting_acyclic();

-- Every node and every edge with one integer id space, for Boost.Graph
-- loading, exports and pgRouting. Sources are evidence, not graph nodes.
-- Tree edges (an issue within its area, a sub-region within its region) have
-- no row of their own; their id is the child's id negated, stable and unique.
CREATE VIEW graph_node AS
    SELECT id, 'area'::text AS kind, code AS key, name AS label, level::text AS level,
           NULL::text AS scope, NULL::text AS model, NULL::text AS centrality, NULL::text AS status,
           NULL::smallint AS founded, NULL::text AS url, review_status::text AS review_status
      FROM issue_area
    UNION ALL
    SELECT id, 'mechanism', slug, name, NULL, scope::text, model::text, centrality::text, status::text,
           founded, url, review_status::text
      FROM mechanism
    UNION ALL
    SELECT id, 'stakeholder', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text
      FROM stakeholder_group
    UNION ALL
    SELECT id, 'region', code, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, review_status::text
      FROM region;

CREATE VIEW graph_edge AS
    SELECT e.id, e.mechanism_id AS source, e.area_id AS target, 'addresses'::text AS kind,
           e.strength::text AS strength, NULL::text AS role, s.url AS source_url, e.review_status::text AS review_status
      FROM mechanism_area e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.from_id, e.to_id, e.kind::text, NULL, NULL, s.url, e.review_status::text
      FROM mechanism_relation e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.mechanism_id, e.stakeholder_group_id, 'involves', NULL, e.role::text, s.url, e.review_status::text
      FROM mechanism_stakeholder e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT e.id, e.mechanism_id, e.region_id, 'operates_in', NULL, NULL, s.url, e.review_status::text
      FROM mechanism_region e LEFT JOIN source s ON s.id = e.source_id
    UNION ALL
    SELECT -a.id, a.id, a.parent_id, 'within', NULL, NULL, s.url, a.review_status::text
      FROM issue_area a LEFT JOIN source s ON s.id = a.source_id WHERE a.parent_id IS NOT NULL
    UNION ALL
    SELECT -r.id, r.id, r.parent_id, 'within', NULL, NULL, s.url, r.review_status::text
      FROM region r LEFT JOIN source s ON s.id = r.source_id WHERE r.parent_id IS NOT NULL;
