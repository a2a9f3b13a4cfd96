-- What was done to a channel, by whom, from where and when (the audit log). Written in the transaction
-- of the change it describes. No foreign key: the history of a deleted channel is kept, with the name
-- the channel had, for the operator to read; a new channel of the same name has a new id and starts afresh.
CREATE TABLE channel_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id     INTEGER NOT NULL,
    channel_name   TEXT    NOT NULL,
    at             INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    client_address TEXT,
    action         TEXT    NOT NULL,
    details_json   TEXT    NOT NULL
);
-- Pages are read newest first by id within one channel.
CREATE INDEX channel_history_channel ON channel_history (channel_id, id);
