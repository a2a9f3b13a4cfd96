-- The curator role (reads a channel and curates its files' CVE statuses). SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt with its rows; nothing references channel_members.
CREATE TABLE channel_members_v29 (
    channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT   NOT NULL CHECK (role IN ('VIEWER', 'CURATOR', 'MAINTAINER', 'OWNER')),
    PRIMARY KEY (channel_id, user_id)
);
INSERT INTO channel_members_v29 (channel_id, user_id, role) SELECT channel_id, user_id, role FROM channel_members;
DROP TABLE channel_members;
ALTER TABLE channel_members_v29 RENAME TO channel_members;
CREATE INDEX channel_members_user ON channel_members (user_id);
