package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad path fails when the executor opens, never at the first write, and names the path. */
class OpenFailureTest {
  @TempDir Path dir;
  private Path readOnly;

  @AfterEach
  void undoReadOnly() throws Exception {
    if (readOnly != null) {
      TestDb.makeWritable(readOnly);
    }
  }

  static Stream<Arguments> strategiesAndJournalModes() {
    return TestDb.all()
        .flatMap(
            name ->
                Stream.of(SqliteSettings.JournalMode.WAL, SqliteSettings.JournalMode.DELETE)
                    .map(mode -> Arguments.of(name, mode)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void missingDirectory(String strategy) {
    Path path = dir.resolve("no-such-dir").resolve("x.db");
    SqliteOpenException error =
        assertThrows(
            SqliteOpenException.class,
            () -> Strategies.open(strategy, SqliteSettings.builder(path).build()));
    assertEquals(path, error.path());
    assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void fileThatIsNotADatabase(String strategy) throws Exception {
    Path path = dir.resolve("notes.db");
    Files.writeString(path, "these are not the pages of a SQLite database ".repeat(200));
    SqliteOpenException error =
        assertThrows(
            SqliteOpenException.class,
            () -> Strategies.open(strategy, SqliteSettings.builder(path).build()));
    assertTrue(error.getMessage().contains(path.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("not a database"), error.getMessage());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("strategiesAndJournalModes")
  void readOnlyFile(String strategy, SqliteSettings.JournalMode mode) throws Exception {
    SqliteSettings settings =
        TestDb.withTable(SqliteSettings.builder(dir.resolve("ro.db")).journalMode(mode).build());
    readOnly = settings.path();
    TestDb.makeReadOnly(readOnly);
    SqliteOpenException error =
        assertThrows(SqliteOpenException.class, () -> Strategies.open(strategy, settings));
    assertTrue(error.getMessage().contains(settings.path().toString()), error.getMessage());
    assertTrue(error.getMessage().contains("readonly"), error.getMessage());
  }

  @Test
  void directoryInPlaceOfTheFile() {
    SqliteOpenException error =
        assertThrows(
            SqliteOpenException.class,
            () -> Strategies.open(Strategies.GROUP_COMMIT, SqliteSettings.builder(dir).build()));
    assertTrue(error.getMessage().contains("directory"), error.getMessage());
  }

  @Test
  void unknownStrategyListsTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Strategies.open("fast-and-loose", TestDb.settings(dir)));
    assertTrue(error.getMessage().contains("fast-and-loose"));
    for (String name : Strategies.names()) {
      assertTrue(error.getMessage().contains(name), error.getMessage());
    }
  }

  @Test
  void namesAreTheEightStrategies() {
    assertEquals(
        List.of(
            "deferred-no-timeout",
            "deferred-busy-timeout",
            "deferred-retry",
            "hikari-pool",
            "single-connection",
            "immediate",
            "serialized-writer",
            "group-commit"),
        Strategies.names());
  }
}
