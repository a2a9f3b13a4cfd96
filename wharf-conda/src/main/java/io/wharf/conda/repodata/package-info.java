/**
 * Derived channel metadata built from stored per-file records: repodata.json (by concatenation),
 * current_repodata.json, channeldata.json, CEP 16 shards, their compressed copies, and the canonical
 * JSON that conda-content-trust signs.
 */
package io.wharf.conda.repodata;
