-- Rows a Wharf at schema version 6 wrote: channel revisions.
-- As the upload API writes them (dumped from a server that stored the two fixture packages through it),
-- limited to the tables and columns of that version, with fixed times.
UPDATE channels SET revision = 1;
