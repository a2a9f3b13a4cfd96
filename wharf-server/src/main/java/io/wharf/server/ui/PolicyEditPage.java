package io.wharf.server.ui;

import java.util.List;

/**
 * The page replacing a mirror policy's description and filters (administrators): {@code form} holds the
 * policy's current values, or what was typed when the service refused it ({@code error}); the name is fixed;
 * {@code mirrors} names the mirrors that follow the policy, whose next runs a change affects.
 */
public record PolicyEditPage(String name, String created, String updated, List<String> mirrors,
    PoliciesPage.Form form, String error) {}
