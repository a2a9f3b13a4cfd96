package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", mixinStandardHelpOptions = true, description = "Download a package file from a channel.")
public final class DownloadCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = {"--channel", "-c"}, required = true, description = "channel")
  String channel;

  @Option(names = "--subdir", description = "platform subdir (needed only when the file name exists in several)")
  String subdir;

  @Option(names = "--label", description = "subchannel (default main)")
  String label;

  @Option(names = {"--output", "-o"}, description = "where to write (default: the file name in the current directory)")
  Path output;

  @Parameters(index = "0", description = "file name, e.g. zlib-1.2.11-h7b6447c_3.conda")
  String filename;

  @Override
  public Integer call() {
    ApiClient api = client.client();
    JsonNode file = FileCommand.find(api, channel, label, subdir, filename);
    Path target = output != null ? output : Path.of(filename);
    api.download(file.get("url").asText(), target);
    System.out.println("downloaded " + target + " (sha256 " + file.get("sha256").asText() + ")");
    return 0;
  }
}
