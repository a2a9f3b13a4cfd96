package io.wharf.server.channel;

import java.time.Instant;

public record Channel(long id, String name, String description, Privacy privacy, Instant createdAt) {}
