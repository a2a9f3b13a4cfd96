-- Search index, second layout (V3 made the first): summary and description move from the trigram index
-- to a word index, and the name index also covers the order results are returned in.

DROP TRIGGER package_search_fts_insert;
DROP TRIGGER package_search_fts_delete;
DROP TRIGGER package_search_fts_update;
DROP TABLE package_search_fts;

DROP INDEX package_search_name_key;
CREATE INDEX package_search_name_key ON package_search (name_key, channel_id, name);

-- Two FTS5 indexes (https://sqlite.org/fts5.html), both external content over package_search (the text
-- is stored once; the triggers keep the indexes in step):
-- names with the trigram tokenizer, which indexes every three-character substring, so substring and
-- misspelling-candidate lookups use an index; and words of the name, summary and description with the
-- unicode61 tokenizer, far smaller and faster for word queries than trigrams over long descriptions.
CREATE VIRTUAL TABLE package_search_names USING fts5(
    name, content = 'package_search', content_rowid = 'id', tokenize = 'trigram'
);
CREATE VIRTUAL TABLE package_search_text USING fts5(
    name, summary, description,
    content = 'package_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER package_search_fts_insert AFTER INSERT ON package_search BEGIN
    INSERT INTO package_search_names (rowid, name) VALUES (new.id, new.name);
    INSERT INTO package_search_text (rowid, name, summary, description)
    VALUES (new.id, new.name, new.summary, new.description);
END;

CREATE TRIGGER package_search_fts_delete AFTER DELETE ON package_search BEGIN
    INSERT INTO package_search_names (package_search_names, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO package_search_text (package_search_text, rowid, name, summary, description)
    VALUES ('delete', old.id, old.name, old.summary, old.description);
END;

-- The repository never renames a row, but the indexes stay right if someone does.
CREATE TRIGGER package_search_names_update AFTER UPDATE OF name ON package_search BEGIN
    INSERT INTO package_search_names (package_search_names, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO package_search_names (rowid, name) VALUES (new.id, new.name);
END;

CREATE TRIGGER package_search_text_update AFTER UPDATE OF name, summary, description ON package_search BEGIN
    INSERT INTO package_search_text (package_search_text, rowid, name, summary, description)
    VALUES ('delete', old.id, old.name, old.summary, old.description);
    INSERT INTO package_search_text (rowid, name, summary, description)
    VALUES (new.id, new.name, new.summary, new.description);
END;

-- Index the rows written under V3 ('rebuild' reads the external content table).
INSERT INTO package_search_names (package_search_names) VALUES ('rebuild');
INSERT INTO package_search_text (package_search_text) VALUES ('rebuild');
