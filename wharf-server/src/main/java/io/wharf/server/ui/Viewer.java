package io.wharf.server.ui;

/**
 * Who is looking at the page being rendered, for the header (name, sign-out) and the CSRF field of every
 * form. Held for the one thread rendering a page, so the layout needs no parameter that every page
 * template would have to pass along.
 *
 * @param csrf the session's CSRF token; null when the page is not seen through a browser session
 */
public record Viewer(String name, boolean admin, String csrf) {
  public static final Viewer NOBODY = new Viewer(null, false, null);
  private static final ThreadLocal<Viewer> CURRENT = new ThreadLocal<>();

  public static Viewer current() {
    Viewer v = CURRENT.get();
    return v == null ? NOBODY : v;
  }

  public static void set(Viewer viewer) {
    CURRENT.set(viewer);
  }

  public static void clear() {
    CURRENT.remove();
  }

  public boolean signedIn() {
    return csrf != null;
  }

  /** The CSRF value a form carries; empty when there is no session (then no form needs one). */
  public String csrfValue() {
    return csrf == null ? "" : csrf;
  }
}
