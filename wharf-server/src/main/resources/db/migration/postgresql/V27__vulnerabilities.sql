-- Vulnerability records (OSV, NVD CVE API 2.0) and their matches against stored package files.
-- A CVE row is keyed by its CVE id (an OSV record is filed under the first CVE id among its aliases, else its
-- own id), so that the PyPA advisory and the NVD record of one CVE are one row with both sources' vectors and
-- ranges. Timestamps are epoch milliseconds as elsewhere.
CREATE TABLE cves (
    id            TEXT    PRIMARY KEY,
    aliases_json  TEXT    NOT NULL,
    summary       TEXT,
    published     BIGINT,
    modified      BIGINT  NOT NULL,
    refs_json     TEXT    NOT NULL,
    severity      TEXT    CHECK (severity IN ('NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')), -- null: no vector to score
    score         DOUBLE PRECISION,
    score_version TEXT
);

-- One imported record (its own id and source); modified decides whether a re-import replaces it.
CREATE TABLE cve_records (
    record_id TEXT    PRIMARY KEY,
    cve_id    TEXT    NOT NULL REFERENCES cves (id) ON DELETE CASCADE,
    source    TEXT    NOT NULL CHECK (source IN ('OSV', 'NVD')),
    modified  BIGINT  NOT NULL
);
CREATE INDEX cve_records_cve ON cve_records (cve_id);

CREATE TABLE cve_vectors (
    record_id    TEXT NOT NULL REFERENCES cve_records (record_id) ON DELETE CASCADE,
    cvss_version TEXT NOT NULL,
    vector       TEXT NOT NULL,
    base_score   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (record_id, vector)
);

-- kind PYPI: package is a normalised PyPI name, versions compare by PEP 440; kind CPE: package is
-- vendor:product, versions compare loosely. A row is an exact version or an interval (either end may be open).
CREATE TABLE cve_ranges (
    id              BIGSERIAL PRIMARY KEY,
    record_id       TEXT    NOT NULL REFERENCES cve_records (record_id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('PYPI', 'CPE')),
    package         TEXT    NOT NULL,
    exact_version   TEXT,
    start_version   TEXT,
    start_inclusive INTEGER NOT NULL DEFAULT 1,
    end_version     TEXT,
    end_inclusive   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cve_ranges_package ON cve_ranges (kind, package);
CREATE INDEX cve_ranges_record ON cve_ranges (record_id);

-- Curated name tables: conda names whose PyPI name differs (identity is assumed otherwise), and the NVD
-- vendor:product of native libraries.
CREATE TABLE conda_pypi_names (
    conda_name TEXT NOT NULL PRIMARY KEY,
    pypi_name  TEXT NOT NULL
);
CREATE TABLE conda_cpe_products (
    conda_name TEXT NOT NULL,
    vendor     TEXT NOT NULL,
    product    TEXT NOT NULL,
    PRIMARY KEY (conda_name, vendor, product)
);

CREATE TABLE cve_matches (
    cve_id     TEXT    NOT NULL REFERENCES cves (id) ON DELETE CASCADE,
    file_id    BIGINT  NOT NULL REFERENCES package_files (id) ON DELETE CASCADE,
    status     TEXT    NOT NULL CHECK (status IN ('REPORTED', 'ACTIVE', 'MITIGATED', 'CLEARED', 'DISPUTED')),
    matched_at BIGINT  NOT NULL,
    curated_at BIGINT,
    curator    TEXT,
    note       TEXT,
    PRIMARY KEY (cve_id, file_id)
);
CREATE INDEX cve_matches_file ON cve_matches (file_id);

CREATE TABLE cve_status_history (
    id      BIGSERIAL PRIMARY KEY,
    cve_id  TEXT    NOT NULL,
    file_id BIGINT  NOT NULL,
    status  TEXT    NOT NULL,
    at      BIGINT  NOT NULL,
    curator TEXT    NOT NULL,
    note    TEXT
);
CREATE INDEX cve_status_history_match ON cve_status_history (cve_id, file_id, id);

-- Seeds: conda-forge names that differ from PyPI (grayskull's hand list), and the NVD products seen in the
-- CPEs of real records.
INSERT INTO conda_pypi_names (conda_name, pypi_name) VALUES
    ('pytorch', 'torch'), ('dask-core', 'dask'), ('redis-py', 'redis'), ('jupyter_server', 'jupyter-server'),
    ('matplotlib-base', 'matplotlib'), ('msgpack-python', 'msgpack'), ('python-graphviz', 'graphviz'),
    ('pytables', 'tables'), ('opencv', 'opencv-python');
INSERT INTO conda_cpe_products (conda_name, vendor, product) VALUES
    ('zlib', 'zlib', 'zlib'), ('libzlib', 'zlib', 'zlib'), ('openssl', 'openssl', 'openssl'),
    ('requests', 'python', 'requests'), ('numpy', 'numpy', 'numpy'), ('setuptools', 'python', 'setuptools');
