-- The importer's duplicate check (importer/load.cpp) compared each new
-- mechanism's keys with the keys of every stored one, computing dup_name()
-- and name_initials() for the whole table on every import: a one-row import
-- into a million-mechanism map paid for a million calls of each. With these
-- indexes it looks the new keys up instead; they cost one call of each per
-- stored row, once, when the row is written.
CREATE INDEX mechanism_dup_name_idx ON mechanism (dup_name(name));
CREATE INDEX mechanism_initials_idx ON mechanism (name_initials(name));
CREATE INDEX mechanism_acronym_lower_idx ON mechanism (lower(acronym));
CREATE INDEX mechanism_url_key_idx ON mechanism (url_key(url));
