package io.wharf.server.channel;

import io.wharf.server.error.WharfException;

/**
 * A channel or one of its subchannels, written as conda addresses them: {@code channel} (the main
 * label) or {@code channel/label/NAME}.
 */
public record ChannelLocation(String channel, String label) {
  public static ChannelLocation parse(String text) {
    if (text == null || text.isBlank()) {
      throw WharfException.invalid("invalid_location", "a channel is needed, as 'channel' or 'channel/label/NAME'");
    }
    String[] parts = text.split("/", -1);
    if (parts.length == 1) {
      return new ChannelLocation(parts[0], ChannelNames.DEFAULT_LABEL);
    }
    if (parts.length == 3 && parts[1].equals("label")) {
      return new ChannelLocation(parts[0], ChannelNames.requireLabel(parts[2]));
    }
    throw WharfException.invalid("invalid_location",
        "'" + text + "' is not a channel: write 'channel' or 'channel/label/NAME'");
  }

  /** {@code channel}, or {@code channel/label/NAME} for a label other than main. */
  @Override
  public String toString() {
    return label.equals(ChannelNames.DEFAULT_LABEL) ? channel : channel + "/label/" + label;
  }
}
