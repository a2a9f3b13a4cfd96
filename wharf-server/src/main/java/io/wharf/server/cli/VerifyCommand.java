package io.wharf.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.conda.archive.InvalidPackageException;
import io.wharf.conda.archive.PackageArchives;
import io.wharf.conda.archive.ReadLimits;
import io.wharf.server.trust.FileVerification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks a local package file against the channel's served record and signature, the way a conda
 * client with conda-content-trust would: repodata.json from the channel, trust metadata from /trust/.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check a local package file against the"
    + " channel's record and signature; exits non-zero when it is not trusted.")
public final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ROOTS = 1_000;

  @Mixin ClientOptions client;
  @Option(names = "--channel", required = true, description = "channel name") String channel;
  @Option(names = "--label", description = "label (default main)") String label;
  @Option(names = "--subdir", description = "subdir (default: from the file's info/index.json)") String subdir;
  @Option(names = "--root", description = "a root metadata file trusted out of band; without it the served"
      + " 1.root.json is trusted") Path pinnedRoot;
  @Parameters(index = "0", description = "the package file") Path file;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    String filename = file.getFileName().toString();
    String sub = subdir != null ? subdir : subdirOf(filename);
    long size = Files.size(file);
    String sha256 = sha256(file);
    ApiClient api = client.client();
    String base = "/conda/" + ApiClient.enc(channel) + (label == null || label.equals("main") ? ""
        : "/label/" + ApiClient.enc(label)) + "/" + ApiClient.enc(sub) + "/";
    JsonNode repodata = api.get(base + "repodata.json");
    // trust metadata is fetched without credentials, as conda-content-trust does
    ApiClient anonymous = new ApiClient(api.base(), null);
    List<JsonNode> roots = new ArrayList<>();
    for (int v = 1; v <= MAX_ROOTS; v++) {
      JsonNode root = optional(anonymous, "/trust/" + v + ".root.json");
      if (root == null) {
        break;
      }
      roots.add(root);
    }
    JsonNode keyMgr = optional(anonymous, "/trust/key_mgr.json");
    JsonNode pinned = pinnedRoot == null ? null : JSON.readTree(pinnedRoot.toFile());
    FileVerification.Verdict v = FileVerification.verify(filename, sha256, size, repodata, roots, keyMgr, pinned);
    String where = channel + (label == null ? "" : "/label/" + label) + "/" + sub;
    if (v.trusted()) {
      System.out.println("trusted: " + filename + " in " + where);
    } else {
      System.out.println("NOT trusted: " + filename + " in " + where + ": " + v.reason());
    }
    v.checks().forEach(c -> System.out.println("  ok: " + c));
    return v.trusted() ? 0 : 1;
  }

  private String subdirOf(String filename) {
    try {
      return PackageArchives.readInfo(file, filename, ReadLimits.defaults()).index().subdir()
          .orElseThrow(() -> new CliException(filename + " names no subdir in info/index.json; pass --subdir"));
    } catch (InvalidPackageException | IOException e) {
      throw new CliException("cannot read info/index.json of " + filename + " (" + e.getMessage()
          + "); pass --subdir");
    }
  }

  private static JsonNode optional(ApiClient api, String path) {
    try {
      return api.get(path);
    } catch (ApiError e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static String sha256(Path f) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
