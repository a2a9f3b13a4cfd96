-- The name index also covers the order search results are returned in (name_key, channel, name).
DROP INDEX package_search_name_key;
CREATE INDEX package_search_name_key ON package_search (name_key, channel_id, name);
