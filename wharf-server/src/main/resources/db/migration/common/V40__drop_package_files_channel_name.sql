-- package_files_name_version (channel_id, name, version) answers every lookup by channel and name that
-- this index answered, as its leading columns: keeping both cost each inserted row one more B-tree update.
DROP INDEX package_files_channel_name;
