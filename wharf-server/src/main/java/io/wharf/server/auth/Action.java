package io.wharf.server.auth;

/**
 * What a caller wants to do to a channel. Roles and token permissions are sets of actions, so a new kind
 * of right (curating vulnerability records, say) is one more constant here and in the sets that grant it.
 */
public enum Action {
  /** Read metadata and package files, through conda, the API and the pages. */
  READ,
  /** Upload, copy, move and delete files. */
  WRITE,
  /** Change the channel's settings and members, delete the channel. */
  MANAGE,
  /** Set the curated status (Active, Cleared...) of the CVEs linked to the channel's files. */
  CURATE
}
