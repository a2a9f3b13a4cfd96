-- The curator role (reads a channel and curates its files' CVE statuses).
ALTER TABLE channel_members DROP CONSTRAINT channel_members_role_check;
ALTER TABLE channel_members ADD CONSTRAINT channel_members_role_check
    CHECK (role IN ('VIEWER', 'CURATOR', 'MAINTAINER', 'OWNER'));

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
