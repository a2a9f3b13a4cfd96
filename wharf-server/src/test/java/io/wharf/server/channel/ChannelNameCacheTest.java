package io.wharf.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.server.db.Database;
import io.wharf.server.events.Events;
import io.wharf.server.testing.TestDatabases;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conda hot path finds channels through a cache; names are looked up without regard to case. */
class ChannelNameCacheTest {
  @TempDir Path dir;

  private Database db;
  private CountingRepository channels;
  private ChannelService service;

  @BeforeEach
  void open() {
    db = TestDatabases.sqlite(dir).get();
    channels = new CountingRepository(new JdbcChannelRepository(db));
    service = new ChannelService(channels.proxy, (id, limit) -> 0, new Events());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void everySpellingOfANameSharesOneCacheEntryAndOneQuery() {
    Channel pub = service.create("pub", "", Privacy.PUBLIC);
    for (String typed : List.of("pub", "PUB", "pUb", "Pub", "puB", "PUB")) {
      assertThat(service.find(typed)).as(typed).contains(pub);
    }
    assertThat(channels.lookups.get()).isEqualTo(1);
  }

  @Test
  void deletingUnderAnotherSpellingEmptiesTheCachedEntry() {
    service.create("gone", "", Privacy.PUBLIC);
    assertThat(service.find("gone")).isPresent();

    service.delete("GONE");

    assertThat(service.find("gone")).isEmpty();
    assertThat(service.find("Gone")).isEmpty();
  }

  /** The real repository, counting the name lookups that reach the database. */
  private static final class CountingRepository {
    final AtomicInteger lookups = new AtomicInteger();
    final ChannelRepository proxy;

    CountingRepository(ChannelRepository real) {
      proxy = (ChannelRepository) Proxy.newProxyInstance(ChannelRepository.class.getClassLoader(),
          new Class<?>[] {ChannelRepository.class}, (self, method, args) -> {
            if (method.getName().equals("findByName")) {
              lookups.incrementAndGet();
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
