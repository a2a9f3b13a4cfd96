package io.wharf.server.web;

import io.wharf.server.index.Artifact;
import java.util.List;
import org.eclipse.jetty.http.HttpField;

/**
 * What to answer to a GET or HEAD of a metadata file or a package file, decided once by
 * {@link FileAnswers} and written either by {@link CondaFastPath} (to Jetty directly) or by
 * {@link HttpResponses} (through the servlet response), so that both paths answer alike.
 *
 * @param status 200, 206, 304 or 416
 * @param fields the response header fields, Content-Length aside
 * @param contentLength the Content-Length to send, or -1 for none (a 304)
 * @param document the metadata body to send, or null
 * @param fileStart first byte of the package file to send
 * @param fileLength bytes of the package file to send from {@code fileStart}, or -1 when no file bytes go out
 * @param completesDownload the body ends with the file's last byte: a download is counted once it is sent
 */
record FileAnswer(int status, List<HttpField> fields, long contentLength, Artifact.Body document, long fileStart,
    long fileLength, boolean completesDownload) {

  /** The request header values an answer depends on, each null when absent. */
  record Asked(boolean head, String ifNoneMatch, String ifModifiedSince, String acceptEncoding, String range,
      String ifRange) {}

  static FileAnswer headersOnly(int status, List<HttpField> fields, long contentLength) {
    return new FileAnswer(status, fields, contentLength, null, 0, -1, false);
  }
}
