package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upload", mixinStandardHelpOptions = true,
    description = "Upload .conda and .tar.bz2 packages into a channel.")
public final class UploadCommand implements Callable<Integer> {
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
      if (!Files.isRegularFile(file)) {
        System.err.println("error: " + file + ": no such file");
        failed++;
        continue;
      }
      String path = "/api/channels/" + ApiClient.enc(channel) + "/files/"
          + ApiClient.enc(file.getFileName().toString()) + "?replace=" + replace
          + (label == null ? "" : "&label=" + ApiClient.enc(label));
      try {
        JsonNode f = api.putFile(path, file);
        System.out.println("uploaded " + f.get("subdir").asText() + "/" + f.get("filename").asText()
            + " (sha256 " + f.get("sha256").asText() + ")");
      } catch (CliException e) {
        System.err.println("error: " + file.getFileName() + ": " + e.getMessage());
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }
}
