-- Rows a Wharf at schema version 7 wrote: the change log.
-- As the upload API writes them (dumped from a server that stored the two fixture packages through it),
-- limited to the tables and columns of that version, with fixed times.
INSERT INTO change_log (seq, channel_id, kind, label, subdir, name, created_at) VALUES (1, 1, 'CHANNEL', NULL, NULL, NULL, 1700000000001);
INSERT INTO change_log (seq, channel_id, kind, label, subdir, name, created_at) VALUES (2, 2, 'CHANNEL', NULL, NULL, NULL, 1700000000002);
INSERT INTO change_log (seq, channel_id, kind, label, subdir, name, created_at) VALUES (3, 1, 'FILES', 'main', 'linux-64', 'zlib', 1700000000003);
INSERT INTO change_log (seq, channel_id, kind, label, subdir, name, created_at) VALUES (4, 2, 'FILES', 'main', 'noarch', 'spiffy-test-app', 1700000000004);
