package io.wharf.server.ui;

/**
 * The page replacing a mirror policy's description and filters (administrators): {@code form} holds the
 * policy's current values, or what was typed when the service refused it ({@code error}); the name is fixed.
 */
public record PolicyEditPage(String name, String created, String updated, PoliciesPage.Form form, String error) {}
