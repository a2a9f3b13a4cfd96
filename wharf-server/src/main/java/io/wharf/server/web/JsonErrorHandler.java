package io.wharf.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers before a request reaches a route (a URI it refuses, such as one holding
 * an encoded NUL or an ambiguous segment; headers too large) get the same JSON body as every other
 * error, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    SecurityHeaders.put(response.getHeaders());
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  static byte[] body(int code) {
    String reason = HttpStatus.getMessage(code);
    Map<String, Object> body = ErrorMapper.body(
        code == 400 ? "invalid_request" : reason.toLowerCase(Locale.ROOT).replace(' ', '_'),
        code == 400
            ? "the request is not valid HTTP or its path is ambiguous (for example an encoded NUL or an encoded '/')"
            : "the request was refused before it was read: " + reason,
        Map.of());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return "{\"error\":\"invalid_request\"}".getBytes(StandardCharsets.UTF_8);
    }
  }
}
