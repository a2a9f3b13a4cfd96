-- Rows a Wharf at schema version 4 wrote: each file's dependencies.
-- As the upload API writes them (dumped from a server that stored the two fixture packages through it),
-- limited to the tables and columns of that version, with fixed times.
INSERT INTO package_dependencies (file_id, channel_id, kind, dep_name, spec, position) VALUES (1, 1, 'depends', 'libgcc-ng', 'libgcc-ng >=7.3.0', 0);
INSERT INTO package_dependencies (file_id, channel_id, kind, dep_name, spec, position) VALUES (2, 2, 'depends', 'python', 'python', 0);
