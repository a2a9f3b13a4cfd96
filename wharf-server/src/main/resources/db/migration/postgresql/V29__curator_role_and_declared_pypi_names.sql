-- The curator role (reads a channel and curates its files' CVE statuses).
ALTER TABLE channel_members DROP CONSTRAINT channel_members_role_check;
ALTER TABLE channel_members ADD CONSTRAINT channel_members_role_check
    CHECK (role IN ('VIEWER', 'CURATOR', 'MAINTAINER', 'OWNER'));
