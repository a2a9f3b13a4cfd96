-- The catalog search index: one row per package name in a channel, written by SearchIndexer.
-- Lists are stored as ",a,b," so "has element x" is a plain substring test for ",x,".
CREATE TABLE package_search (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id       INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    latest_version   TEXT    NOT NULL,
    summary          TEXT,
    description      TEXT,
    subdirs          TEXT    NOT NULL,
    license_families TEXT    NOT NULL,
    file_count       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (channel_id, name)
);
-- Exact and prefix name lookups are ranges on the lower-cased name.
CREATE INDEX package_search_name_key ON package_search (name_key, channel_id);

-- The name itself and every name with one character deleted: two names within one edit (and many
-- within two) share an entry, which trigrams alone miss for short names ("numpy" and "nunpy" share none).
CREATE TABLE package_search_variants (
    variant   TEXT    NOT NULL,
    search_id INTEGER NOT NULL REFERENCES package_search (id) ON DELETE CASCADE,
    PRIMARY KEY (variant, search_id)
) WITHOUT ROWID;
CREATE INDEX package_search_variants_row ON package_search_variants (search_id);

-- FTS5 with the trigram tokenizer (https://sqlite.org/fts5.html#the_trigram_tokenizer) indexes every
-- three-character substring, so substring, misspelling-candidate and text lookups all use one index.
-- External content: the text lives once, in package_search; the triggers keep the index in step.
CREATE VIRTUAL TABLE package_search_fts USING fts5(
    name, summary, description,
    content = 'package_search', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER package_search_fts_insert AFTER INSERT ON package_search BEGIN
    INSERT INTO package_search_fts (rowid, name, summary, description)
    VALUES (new.id, new.name, new.summary, new.description);
END;

CREATE TRIGGER package_search_fts_delete AFTER DELETE ON package_search BEGIN
    INSERT INTO package_search_fts (package_search_fts, rowid, name, summary, description)
    VALUES ('delete', old.id, old.name, old.summary, old.description);
END;

CREATE TRIGGER package_search_fts_update AFTER UPDATE OF name, summary, description ON package_search BEGIN
    INSERT INTO package_search_fts (package_search_fts, rowid, name, summary, description)
    VALUES ('delete', old.id, old.name, old.summary, old.description);
    INSERT INTO package_search_fts (rowid, name, summary, description)
    VALUES (new.id, new.name, new.summary, new.description);
END;
