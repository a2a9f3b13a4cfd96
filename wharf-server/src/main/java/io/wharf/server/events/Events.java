package io.wharf.server.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process, synchronous event bus. Features that react to changes (index publishing now; SBOM, CVE
 * matching, signing and stats later) subscribe here instead of being called by the feature that changed.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private final List<Consumer<Object>> listeners = new CopyOnWriteArrayList<>();

  public <T> void subscribe(Class<T> type, Consumer<? super T> listener) {
    listeners.add(event -> {
      if (type.isInstance(event)) {
        listener.accept(type.cast(event));
      }
    });
  }

  /** Delivers to every listener; one failing listener is logged and does not stop the others. */
  public void publish(Object event) {
    for (Consumer<Object> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.error("listener failed for {}", event, e);
      }
    }
  }
}
