package io.wharf.server.badge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.channel.Channel;
import io.wharf.server.channel.Privacy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each badge says for given facts; reading the facts is shown on a running server (BadgeRoutesTest). */
class BadgeServiceTest {
  static final Instant NOW = Instant.parse("2026-03-10T09:00:00Z");
  static final Channel TOOLS = new Channel(1, "tools", "", Privacy.PUBLIC, NOW);
  static final PackageFacts WIDGET = new PackageFacts(TOOLS, "main", "widget", "1.10", "MIT",
      List.of("linux-64", "noarch"), NOW.minus(Duration.ofDays(3)).minus(Duration.ofHours(2)));

  static List<String> texts(Badge b) throws Exception {
    return BadgeSvgTest.texts(BadgeSvgTest.parse(b.svg()));
  }

  @Test
  void datesAreTheDayOfTheNewestUploadInUtcAndHowLongAgoItWas() throws Exception {
    BadgeService badges = new BadgeService(null, null, Clock.fixed(NOW, ZoneOffset.UTC), null);
    assertThat(texts(badges.render(BadgeKind.LATEST_RELEASE_DATE, WIDGET))).containsExactly("last updated", "2026-03-07");
    assertThat(texts(badges.render(BadgeKind.LATEST_RELEASE_RELATIVE_DATE, WIDGET)))
        .containsExactly("last updated", "3 days ago");
  }

  @Test
  void withoutACountSourceThereIsNoDownloadsBadge() {
    BadgeService badges = new BadgeService(null, null, Clock.fixed(NOW, ZoneOffset.UTC), null);
    assertThat(badges.served()).doesNotContain(BadgeKind.DOWNLOADS).hasSize(BadgeKind.values().length - 1);
    assertThatThrownBy(() -> badges.render(BadgeKind.DOWNLOADS, WIDGET)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCountSourceWiredInServesTheDownloadsBadgeHumanised() throws Exception {
    BadgeService badges = new BadgeService(null, null, Clock.fixed(NOW, ZoneOffset.UTC),
        (channel, label, name) -> channel.name().equals("tools") && label.equals("main") && name.equals("widget")
            ? 3_412_000 : 0);
    assertThat(badges.served()).contains(BadgeKind.DOWNLOADS);
    assertThat(texts(badges.render(BadgeKind.DOWNLOADS, WIDGET))).containsExactly("downloads", "3.4M");
    assertThat(BadgeKind.fromFile("downloads.svg")).contains(BadgeKind.DOWNLOADS);
  }

  @Test
  void aMissingPackagesBadgeDependsOnlyOnTheKindAskedFor() throws Exception {
    BadgeService badges = new BadgeService(null, null, Clock.fixed(NOW, ZoneOffset.UTC), null);
    assertThat(texts(badges.notFound(BadgeKind.VERSION))).containsExactly("version", "not found");
    assertThat(badges.notFound(BadgeKind.LICENSE).svg()).isEqualTo(badges.notFound(BadgeKind.LICENSE).svg());
  }
}
