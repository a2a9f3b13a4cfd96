package io.wharf.server.ui;

import java.util.List;

/**
 * The package page's Badges tab: each badge with its preview and the snippets that embed it.
 *
 * @param location the channel, or {@code channel/label/NAME} when the badges are of a subchannel
 * @param needsToken whether the channel is not public, so that each snippet carries a {@code <TOKEN>}
 *     placeholder for a read token
 * @param tokensHref where tokens are made
 */
public record BadgeTab(String location, boolean needsToken, String tokensHref, List<Entry> badges) {
  public static final String TOKEN_PLACEHOLDER = "<TOKEN>";

  /** One badge: {@code previewSrc} is what this page shows (same origin, the viewer's session). */
  public record Entry(String id, String title, String previewSrc, String url, List<Snippet> snippets) {}

  /** An embedding in one markup language; {@code id} names its text field for the Copy button. */
  public record Snippet(String id, String format, String text) {}
}
