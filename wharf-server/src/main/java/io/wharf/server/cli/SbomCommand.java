package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sbom", mixinStandardHelpOptions = true,
    description = "Get the SBOM of a package file: SPDX 2.3 JSON (default) or CycloneDX 1.6 JSON.")
public final class SbomCommand implements Callable<Integer> {
  @Mixin ClientOptions client;
  @Mixin FileCommand.Location where;

  @Option(names = "--format", description = "spdx (default) or cyclonedx")
  String format = "spdx";

  @Option(names = {"--output", "-o"}, description = "where to write (default: standard output)")
  Path output;

  @Parameters(index = "0", description = "file name, e.g. zlib-1.2.11-h7b6447c_3.conda")
  String filename;

  @Override
  public Integer call() {
    String f = format.toLowerCase(Locale.ROOT);
    if (!f.equals("spdx") && !f.equals("cyclonedx")) {
      throw new CliException("--format must be spdx or cyclonedx, not '" + format + "'");
    }
    ApiClient api = client.client();
    JsonNode file = FileCommand.find(api, where.channel, where.label, where.subdir, filename);
    String path = "/api/channels/" + ApiClient.enc(where.channel) + "/files/" + ApiClient.enc(file.get("subdir").asText())
        + "/" + ApiClient.enc(filename) + "/sbom?format=" + f + "&label=" + ApiClient.enc(file.get("label").asText());
    if (output == null) {
      System.out.println(api.getText(path));
    } else {
      api.download(path, output);
      System.err.println("wrote " + output);
    }
    return 0;
  }
}
