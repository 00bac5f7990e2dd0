-- Search by name, acronym, description and URL (govmap search, duplicate
-- detection): trigram similarity from pg_trgm, a trusted extension that the
-- database's owner may create.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX mechanism_name_trgm_idx ON mechanism USING gin (lower(name) gin_trgm_ops);
CREATE INDEX mechanism_acronym_trgm_idx ON mechanism USING gin (lower(acronym) gin_trgm_ops);

-- Mechanisms like `query`, best first: name and acronym by trigram similarity,
-- description and URL by the best-matching part (word similarity); an exact
-- slug or acronym counts fully.
CREATE FUNCTION search_mechanisms(query text, include_proposed boolean DEFAULT false, max_rows integer DEFAULT 20)
RETURNS TABLE (mechanism_id bigint, score real)
LANGUAGE sql STABLE AS $$
    SELECT m.id,
           greatest(similarity(lower(m.name), lower(query)),
                    similarity(lower(coalesce(m.acronym, '')), lower(query)),
                    CASE WHEN lower(m.slug) = lower(query) OR lower(m.acronym) = lower(query) THEN 1 ELSE 0 END,
                    0.8 * word_similarity(lower(query), lower(coalesce(m.description, ''))),
                    0.8 * word_similarity(lower(query), lower(coalesce(m.url, ''))))::real AS score
      FROM mechanism m
     WHERE review_counts(m.review_status, include_proposed)
     ORDER BY score DESC, m.slug
     LIMIT max_rows
$$;

-- Keys that two records of one mechanism share, for duplicate detection on
-- import: the name without case and punctuation, the address without scheme,
-- "www." and trailing slash, and a name's initials (to meet an acronym).
CREATE FUNCTION name_key(name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g'))
$$;

CREATE FUNCTION url_key(url text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NULLIF(rtrim(regexp_replace(lower(url), '^[a-z][a-z0-9+.-]*://(www\.)?', ''), '/'), '')
$$;

CREATE FUNCTION name_initials(name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(left(w, 1), '' ORDER BY n)
      FROM regexp_split_to_table(lower(name), '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
     WHERE w <> '' AND w NOT IN ('of', 'the', 'and', 'for', 'on', 'in', 'to', 'a', 'an')
$$;
