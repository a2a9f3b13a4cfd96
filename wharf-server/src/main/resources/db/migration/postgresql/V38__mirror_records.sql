-- Which of upstream's repodata documents a mirror's runs take their records from: 'patched'
-- (repodata.json, upstream's repodata patches applied; what every mirror took before) or 'unpatched'
-- (repodata_from_packages.json, so only the mirror channel's own patches apply).
ALTER TABLE mirrors ADD COLUMN records TEXT NOT NULL DEFAULT 'patched';
