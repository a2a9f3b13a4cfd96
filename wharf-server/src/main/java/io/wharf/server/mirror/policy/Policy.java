package io.wharf.server.mirror.policy;

import java.time.Instant;

/** A named mirror policy: its filters and when it was created and last changed. */
public record Policy(long id, String name, String description, PolicyFilters filters, Instant createdAt,
    Instant updatedAt) {}
