package io.wharf.server.channel;

import io.wharf.conda.pkg.Subdirs;
import io.wharf.server.error.WharfException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Channel and subchannel (label) names. Channel names follow conda's channel naming (letters, digits,
 * '.', '-', '_'), kept lowercase so URLs are unambiguous, and may not take a word the URL layout uses.
 */
public final class ChannelNames {
  private static final Pattern CHANNEL = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?");
  // CEP 26 label rule without '/', so a label is always exactly one URL segment.
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z][0-9a-zA-Z_.-]{0,127}");
  private static final Set<String> RESERVED = Set.of(
      "api", "conda", "t", "label", "labels", "static", "swagger", "health", "metrics", "badges",
      "search", "channels", "login", "logout", "settings", "admin", "cves", "licenses", "channeldata.json",
      "nolabel");

  public static final String DEFAULT_LABEL = "main";

  private ChannelNames() {}

  public static String requireChannel(String name) {
    if (name == null || !CHANNEL.matcher(name).matches() || name.contains("..")) {
      throw WharfException.invalid("invalid_channel_name",
          "channel name '" + String.valueOf(name) + "' is not valid: use 1-64 lowercase letters, digits, '.', '-' or '_', "
              + "starting and ending with a letter or digit");
    }
    if (RESERVED.contains(name) || Subdirs.isKnown(name)) {
      throw WharfException.invalid("reserved_channel_name",
          "channel name '" + name + "' is reserved because it clashes with Wharf's URL layout");
    }
    return name;
  }

  public static String requireLabel(String label) {
    if (label == null || label.isEmpty()) {
      return DEFAULT_LABEL;
    }
    if (!LABEL.matcher(label).matches() || label.equals("nolabel")) {
      throw WharfException.invalid("invalid_label",
          "subchannel '" + label + "' is not valid: start with a letter, then letters, digits, '.', '-' or '_'");
    }
    return label;
  }
}
