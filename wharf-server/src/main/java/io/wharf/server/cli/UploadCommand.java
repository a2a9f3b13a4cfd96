package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upload", mixinStandardHelpOptions = true,
    description = "Upload .conda and .tar.bz2 packages into a channel.")
public final class UploadCommand implements Callable<Integer> {
  /** Refusals that would refuse every file of the command alike: reported once, and the command stops. */
  private static final Set<String> WHOLE_UPLOAD_REFUSALS =
      Set.of("unauthorized", "forbidden", "channel_not_found", "invalid_label");

  @Mixin ClientOptions client;

  @Option(names = {"--channel", "-c"}, required = true, description = "target channel")
  String channel;

  @Option(names = "--label", description = "subchannel (default main)")
  String label;

  @Option(names = "--replace", description = "overwrite a file that already exists")
  boolean replace;

  @Parameters(arity = "1..*", description = "package files")
  List<Path> files;

  @Override
  public Integer call() {
    ApiClient api = client.client();
    int failed = 0;
    for (Path file : files) {
      String name = file.getFileName().toString();
      long size;
      try {
        size = Files.isRegularFile(file) ? Files.size(file) : -1;
      } catch (IOException e) {
        size = -1;
      }
      if (size < 0) {
        System.err.println("error: " + file + ": no such file");
        failed++;
        continue;
      }
      try {
        // Refusals that need no body (token, channel, label, name, size) come before the file is sent.
        api.checkUpload(channel, label, name, size);
        JsonNode f = api.putFile(uploadPath(name), file, size);
        System.out.println("uploaded " + f.get("subdir").asText() + "/" + f.get("filename").asText()
            + " (sha256 " + f.get("sha256").asText() + ")");
      } catch (ApiError e) {
        if (e.status() >= 500 || WHOLE_UPLOAD_REFUSALS.contains(e.code())) {
          System.err.println("error: " + e.getMessage());
          return 1;
        }
        System.err.println("error: " + aboutFile(name, forCli(e)));
        failed++;
      } catch (CliException e) {
        // No answer from the server (unreachable, timed out): the other files would fare no better.
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private String uploadPath(String name) {
    return "/api/channels/" + ApiClient.enc(channel) + "/files/" + ApiClient.enc(name) + "?replace=" + replace
        + (label == null ? "" : "&label=" + ApiClient.enc(label));
  }

  /** The server's hint for a file that exists names the API's parameter; a CLI user needs the flag. */
  private static ApiError forCli(ApiError e) {
    if ("file_exists".equals(e.code())) {
      int hint = e.text().indexOf("; ");
      return e.reworded((hint < 0 ? e.text() : e.text().substring(0, hint)) + "; pass --replace to overwrite it");
    }
    return e;
  }

  /** Names the file once: not again when the server's message already starts with its name. */
  static String aboutFile(String name, ApiError e) {
    String text = e.text();
    boolean named = text.startsWith(name)
        && (text.length() == name.length() || text.charAt(name.length()) == ':' || text.charAt(name.length()) == ' ');
    return named ? e.getMessage() : name + ": " + e.getMessage();
  }
}
