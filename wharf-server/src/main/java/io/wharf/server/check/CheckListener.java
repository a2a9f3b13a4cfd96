package io.wharf.server.check;

/** Hears how an integrity check proceeds: its stages, each item checked, and every problem. */
public interface CheckListener {
  /** A stage begins; {@code total} items, or -1 when the count is not known beforehand. */
  void stage(String name, long total);

  /** One more item of the current stage was checked. */
  void advanced();

  void problem(Problem problem);

  CheckListener NONE = new CheckListener() {
    @Override
    public void stage(String name, long total) {}

    @Override
    public void advanced() {}

    @Override
    public void problem(Problem problem) {}
  };
}
