-- Rows a Wharf at schema version 3 wrote: the search index, one row per package name.
-- As the upload API writes them (dumped from a server that stored the two fixture packages through it),
-- limited to the tables and columns of that version, with fixed times.
INSERT INTO package_search (id, channel_id, name, name_key, latest_version, summary, description, subdirs, license_families, file_count, updated_at) VALUES (1, 1, 'zlib', 'zlib', '1.2.11', 'Massively spiffy yet delicately unobtrusive compression library', 'zlib is designed to be a free, general-purpose, lossless data-compression library for use on virtually any computer hardware and operating system.', ',linux-64,', ',other,', 1, 1700000000001);
INSERT INTO package_search (id, channel_id, name, name_key, latest_version, summary, description, subdirs, license_families, file_count, updated_at) VALUES (2, 2, 'spiffy-test-app', 'spiffy-test-app', '0.5', NULL, NULL, ',noarch,', ',none,', 1, 1700000000002);
