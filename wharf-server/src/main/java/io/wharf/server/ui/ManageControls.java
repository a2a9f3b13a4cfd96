package io.wharf.server.ui;

import java.util.List;

/**
 * What the upload panel and the select-and-act bar of a channel's pages need; a page carries none (null)
 * when the viewer may not write to the channel or has no browser session (the scripts send the session's
 * CSRF token, and a page seen through an API token has none to send).
 *
 * @param channel the channel the page shows
 * @param csrf the session's CSRF token, sent by the scripts in the {@code X-CSRF-Token} header
 * @param targets channels the viewer may write to, offered as targets of a move or a copy
 * @param labels the channel's labels, main first: where the selected packages are taken from
 */
public record ManageControls(String channel, String csrf, List<String> targets, List<String> labels) {}
