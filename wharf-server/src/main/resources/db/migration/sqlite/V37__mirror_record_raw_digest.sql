-- The SHA-256 of a mirrored record's bytes exactly as upstream served them (its span in the repodata
-- document, with its signatures), under the parse rules that wrote it: a later run that finds the same
-- bytes skips the record without parsing it. Null for rows written before; those are compared by
-- record_sha256 as before, and get their raw digest then.
ALTER TABLE mirror_records ADD COLUMN raw_sha256 TEXT;
