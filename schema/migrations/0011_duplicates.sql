-- Probable duplicates beyond equal keys: names that differ only in case,
-- accents, punctuation, word order, small words or a typo or two.
--
-- dup_name() reduces a name to its significant words, accents removed, in
-- alphabetical order; two names are probably one mechanism when these are
-- equal, or (for names of 12 characters or more) within one edit per 12
-- characters of each other. Trigram similarity over lower(name), with the
-- index of migration 0008, finds the candidates; the edit distance decides.
-- "UK Internet Governance Forum" is not a duplicate of "Internet Governance
-- Forum" (a whole word apart); "Global Forum for Cyber Expertise" is one of
-- "Global Forum on Cyber Expertise".
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE FUNCTION dup_name(name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public AS $$
    SELECT coalesce(string_agg(w, ' ' ORDER BY w), '')
      FROM regexp_split_to_table(lower(unaccent('unaccent'::regdictionary, name)), '[^[:alnum:]]+') AS w
     WHERE w <> '' AND w NOT IN ('a', 'an', 'and', 'the', 'of', 'for', 'on', 'in', 'to', 'at', 'by', 'with',
                                 'de', 'des', 'du', 'la', 'le', 'les', 'et', 'el', 'los', 'y')
$$;

-- How many edits two dup_name()s may be apart and still name one mechanism.
CREATE FUNCTION dup_distance(a text, b text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(length(a), length(b)) / 12
$$;

CREATE FUNCTION probably_same_name(a text, b text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public AS $$
    SELECT da = db OR (dup_distance(da, db) > 0
                       AND levenshtein_less_equal(left(da, 255), left(db, 255), dup_distance(da, db))
                           <= dup_distance(da, db))
      FROM (SELECT dup_name(a) AS da, dup_name(b) AS db) x
$$;
