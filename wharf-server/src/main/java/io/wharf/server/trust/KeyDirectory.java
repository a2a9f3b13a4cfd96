package io.wharf.server.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The instance's private signing keys, outside the database: {@code <dir>/<role>/<key id>.pri}, each
 * holding the hex of the 32-byte private key (the form conda-content-trust's signing tools read), for
 * the roles {@code root}, {@code key_mgr} and {@code pkg_mgr}. Directories are 0700 and files 0600, so
 * only the server's user reads them; a key file others may read is refused rather than used.
 * Root keys replaced by a rotation move to {@code root/retired/}.
 */
public final class KeyDirectory {
  public static final List<String> ROLES = List.of("root", "key_mgr", "pkg_mgr");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private final Path dir;

  public KeyDirectory(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  /** Writes a new key file readable only by this user; never overwrites. */
  public Path write(String role, SigningKey key) {
    Path roleDir = roleDir(role);
    Path file = roleDir.resolve(key.keyId() + ".pri");
    try {
      ownerDirectory(dir);
      ownerDirectory(roleDir);
      Path tmp = roleDir.resolve("." + key.keyId() + ".tmp");
      Files.deleteIfExists(tmp);
      if (posix(roleDir)) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      } else {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, key.privateHex() + "\n", StandardCharsets.US_ASCII);
      if (Files.exists(file)) {
        Files.delete(tmp);
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + file, e);
    }
  }

  /** The keys of a role, in key id order; none when the role has no directory. */
  public List<SigningKey> read(String role) {
    Path roleDir = roleDir(role);
    List<SigningKey> out = new ArrayList<>();
    if (!Files.isDirectory(roleDir)) {
      return out;
    }
    try (var files = Files.list(roleDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pri")).sorted().toList()) {
        requirePrivate(f);
        try {
          out.add(SigningKey.fromHex(Files.readString(f, StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("key file " + f + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keys in " + roleDir, e);
    }
    return out;
  }

  /** Moves a key that no longer signs to {@code <role>/retired/}. */
  public void retire(String role, SigningKey key) {
    Path file = roleDir(role).resolve(key.keyId() + ".pri");
    Path retired = roleDir(role).resolve("retired");
    try {
      ownerDirectory(retired);
      Files.move(file, retired.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot retire key file " + file, e);
    }
  }

  public boolean hasKeys() {
    return ROLES.stream().anyMatch(r -> !read(r).isEmpty());
  }

  private Path roleDir(String role) {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("unknown role " + role);
    }
    return dir.resolve(role);
  }

  private static void ownerDirectory(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      Files.createDirectories(d);
      if (posix(d)) {
        Files.setPosixFilePermissions(d, OWNER_DIR);
      }
    }
  }

  private static void requirePrivate(Path f) throws IOException {
    if (!posix(f)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
    if (perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
      throw new IllegalStateException("key file " + f + " may be read by other users ("
          + PosixFilePermissions.toString(perms) + "); make it readable by its owner only (chmod 600)");
    }
  }

  private static boolean posix(Path p) {
    return Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }
}
