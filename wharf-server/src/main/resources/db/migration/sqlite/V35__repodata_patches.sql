-- Repodata patch instructions (patch_instructions.json, CONDA.md §3.3) per channel and subdir, shared by
-- every label of the channel. They are applied when records are published; the stored records stay as
-- uploaded. Removing instructions keeps the row with no text, so that the revision only ever grows and a
-- publisher can tell any two sets of instructions apart by it.
CREATE TABLE repodata_patches (
    channel_id        INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    subdir            TEXT    NOT NULL,
    revision          INTEGER NOT NULL,
    instructions_json TEXT,
    sha256            TEXT,
    size              INTEGER,
    source            TEXT,
    changed_by        TEXT    NOT NULL,
    changed_at        INTEGER NOT NULL,
    PRIMARY KEY (channel_id, subdir)
);
