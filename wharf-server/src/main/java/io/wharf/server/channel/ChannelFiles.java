package io.wharf.server.channel;

/**
 * Removes the file rows of a channel a batch at a time. The package feature answers this, so deleting a
 * channel can empty it without the channel feature depending on package rows, and without holding every
 * row (or one long write transaction) however large the channel is.
 */
@FunctionalInterface
public interface ChannelFiles {
  /**
   * Deletes up to {@code limit} file rows of the channel, marking for the blob sweeper the blobs no
   * other row uses; returns how many rows went (0 once the channel holds no file).
   */
  int deleteBatch(long channelId, int limit);
}
