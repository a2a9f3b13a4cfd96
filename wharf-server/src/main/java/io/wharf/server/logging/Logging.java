package io.wharf.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.wharf.server.config.Operations;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The server's log: every line on standard error, as text or as JSON, Wharf's own loggers at the
 * configured level and every library's (Jetty, Javalin, Hikari, Flyway, the AWS SDK, the PostgreSQL
 * driver through java.util.logging) from WARN up, whatever {@code log.level} says, so that a debug session
 * shows Wharf's decisions rather than a flood of connection-pool chatter. The command-line client keeps
 * the bundled {@code logback.xml} (warnings and errors only, as text).
 */
public final class Logging {
  private Logging() {}

  /** Replaces whatever configuration logging had with the server's. */
  public static void configure(Operations.LogFormat format, String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend was put on the class path on purpose: leave it alone
    }
    context.reset();
    LevelChangePropagator julLevels = new LevelChangePropagator();
    julLevels.setContext(context);
    julLevels.setResetJUL(true);
    julLevels.start();
    context.addListener(julLevels);

    LayoutBase<ILoggingEvent> layout = format == Operations.LogFormat.JSON ? new JsonLineLayout() : new TextLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    context.getLogger("io.wharf").setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));

    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger(); // java.util.logging's own console handler
      SLF4JBridgeHandler.install();
    }
  }
}
