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

-- The PyPI projects a package file declares through *.dist-info / *.egg-info entries directly under a
-- site-packages directory of its paths (vuln/DeclaredPypiNames), PEP 503-normalised, keyed like
-- package_contents by the file's sha256, so copies and moves share them; conda_name is the name those bytes
-- carry in index.json. CVE matching reaches PyPI ranges under these names besides the conda name and
-- conda_pypi_names.
CREATE TABLE package_pypi_names (
    sha256     VARCHAR(64) NOT NULL,
    conda_name TEXT        NOT NULL,
    pypi_name  TEXT        NOT NULL,
    PRIMARY KEY (sha256, pypi_name)
);
CREATE INDEX package_pypi_names_pypi ON package_pypi_names (pypi_name);
CREATE INDEX package_pypi_names_conda ON package_pypi_names (conda_name);
