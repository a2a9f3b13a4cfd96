package io.wharf.server.channel;

import java.util.List;

/**
 * The blob keys of every file a channel holds. The package feature answers this, so deleting a
 * channel can clean up storage without the channel feature depending on package rows.
 */
@FunctionalInterface
public interface ChannelBlobs {
  List<String> blobKeys(long channelId);
}
