-- What the importer needs: a note on each mechanism-area link (the working
-- group's spreadsheet has a notes column), and name look-ups that an index
-- can answer (a spreadsheet names areas, regions and groups by name).
ALTER TABLE mechanism_area ADD COLUMN note text CHECK (length(note) <= 2000);

CREATE INDEX issue_area_lower_name_idx ON issue_area (lower(name));
CREATE INDEX region_lower_name_idx ON region (lower(name));
CREATE INDEX stakeholder_group_lower_name_idx ON stakeholder_group (lower(name));
CREATE INDEX mechanism_relation_hierarchy_idx ON mechanism_relation (from_id) WHERE kind IN ('part_of', 'reports_to');

-- Every taxonomy node with itself and everything below it: a mechanism that
-- addresses an issue also covers that issue's area and cluster.
CREATE VIEW issue_area_closure AS
    WITH RECURSIVE closure(ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM issue_area
        UNION ALL
        SELECT c.ancestor_id, a.id, c.depth + 1
          FROM closure c JOIN issue_area a ON a.parent_id = c.descendant_id)
    SELECT ancestor_id, descendant_id, depth FROM closure;
