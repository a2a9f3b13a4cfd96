-- What a software bill of materials lists of a package file's contents: each installed file's path,
-- sha256 and size from info/paths.json (CEP 34), as one compact JSON array. Keyed by the sha256 of the
-- package file: equal bytes have equal contents, so copies and moves of a file share its row, and a
-- row outliving every file with those bytes stays correct if the bytes come back.
CREATE TABLE package_contents (
    sha256     VARCHAR(64) PRIMARY KEY,
    paths_json TEXT        NOT NULL
);
