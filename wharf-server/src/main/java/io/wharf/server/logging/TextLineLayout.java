package io.wharf.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code log.format=text}: {@code 2026-12-01 22:48:55.123 [thread] WARN logger - message}, then the stack
 * trace of an exception, for a person at a terminal. Message and stack trace are {@link Redaction redacted}.
 */
public final class TextLineLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(128)
        .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .append(" [").append(event.getThreadName()).append("] ")
        .append(event.getLevel()).append(' ')
        .append(event.getLoggerName()).append(" - ")
        .append(Redaction.text(event.getFormattedMessage()))
        .append(CoreConstants.LINE_SEPARATOR);
    String trace = stackTrace(event);
    if (trace != null) {
      b.append(trace);
    }
    return b.toString();
  }

  /** The redacted stack trace of the event's exception, with its causes, or null when it has none. */
  static String stackTrace(ILoggingEvent event) {
    IThrowableProxy proxy = event.getThrowableProxy();
    return proxy == null ? null : Redaction.text(ThrowableProxyUtil.asString(proxy));
  }
}
