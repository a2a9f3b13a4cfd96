-- Misspelt prefixes: one row per character of a name (its first 64): the name without that character,
-- where it was and what it was. A name whose start is one substitution or insertion away from a
-- query, at character i, has its row for i starting with the query less its character i, or with the
-- whole query: a range on (char_index, variant). The deleted character tells a substitution from a
-- name that simply starts with the query. Deletions and transpositions need no table: see
-- io.wharf.server.search.jdbc.Misspellings.
CREATE TABLE package_search_deletions (
    char_index   INTEGER NOT NULL,
    variant      TEXT    NOT NULL,
    deleted_char TEXT    NOT NULL,
    search_id    INTEGER NOT NULL REFERENCES package_search (id) ON DELETE CASCADE,
    PRIMARY KEY (char_index, variant, search_id)
) WITHOUT ROWID;
CREATE INDEX package_search_deletions_row ON package_search_deletions (search_id);

-- Rows for the names indexed before this migration (length and substr count characters).
WITH RECURSIVE p (search_id, name_key, char_index) AS (
    SELECT id, name_key, 0 FROM package_search WHERE length(name_key) > 0
    UNION ALL
    SELECT search_id, name_key, char_index + 1 FROM p
    WHERE char_index + 1 < length(name_key) AND char_index + 1 < 64
)
INSERT INTO package_search_deletions (char_index, variant, deleted_char, search_id)
SELECT char_index, substr(name_key, 1, char_index) || substr(name_key, char_index + 2),
       substr(name_key, char_index + 1, 1), search_id
FROM p;
