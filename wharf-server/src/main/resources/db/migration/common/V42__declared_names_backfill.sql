-- Files stored before package_pypi_names (V29) were never examined for the PyPI names they declare, and a
-- file is examined only when it is stored. The start-up backfill (vuln/DeclaredNamesBackfill) examines the
-- files that exist now, in id order from after_file_id up to until_file_id, and deletes this row when done.
CREATE TABLE declared_names_backfill (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    after_file_id BIGINT  NOT NULL,
    until_file_id BIGINT  NOT NULL
);
INSERT INTO declared_names_backfill (id, after_file_id, until_file_id)
    SELECT 1, 0, COALESCE(MAX(id), 0) FROM package_files;
