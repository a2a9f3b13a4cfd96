-- The search index folds a batch of new files into a name's document; when one of them has the
-- document's latest version it reads the stored files of that version, which this index finds without
-- visiting every file of the name.
CREATE INDEX package_files_name_version ON package_files (channel_id, name, version);
