package io.wharf.server.channel;

import java.util.List;

/**
 * Removes the file rows of a channel a batch at a time. The package feature answers this, so deleting a
 * channel can empty it without the channel feature depending on package rows, and without holding every
 * row (or one long write transaction) however large the channel is.
 */
@FunctionalInterface
public interface ChannelFiles {
  /**
   * Deletes up to {@code limit} file rows of the channel and returns the blob keys they referred to; an
   * empty list once the channel holds no file.
   */
  List<String> deleteBatch(long channelId, int limit);
}
