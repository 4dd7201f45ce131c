package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SqliteSettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsAreWhatAConcurrentWriterWants() {
    SqliteSettings settings = SqliteSettings.builder(dir.resolve("a.db")).build();
    assertEquals(JournalMode.WAL, settings.journalMode());
    assertEquals(Synchronous.NORMAL, settings.synchronous());
    assertEquals(Duration.ofSeconds(5), settings.busyTimeout());
    assertTrue(settings.foreignKeys());
    assertEquals(
        List.of(
            "PRAGMA busy_timeout=5000",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON"),
        settings.pragmas());
  }

  @Test
  void listsEveryPragmaItAppliesInOrder() {
    SqliteSettings settings =
        SqliteSettings.builder(dir.resolve("a.db"))
            .journalMode(JournalMode.DELETE)
            .synchronous(Synchronous.FULL)
            .busyTimeout(Duration.ofMillis(250))
            .foreignKeys(false)
            .pragma("cache_size", "-4000")
            .pragma("temp_store", "2")
            .build();
    assertEquals(
        List.of(
            "PRAGMA busy_timeout=250",
            "PRAGMA journal_mode=DELETE",
            "PRAGMA synchronous=FULL",
            "PRAGMA foreign_keys=OFF",
            "PRAGMA cache_size=-4000",
            "PRAGMA temp_store=2"),
        settings.pragmas());
    assertEquals(Map.of("cache_size", "-4000", "temp_store", "2"), settings.otherPragmas());
    assertEquals(settings, settings.toBuilder().build());
  }

  @Test
  void openedConnectionReportsEverySetting() throws SQLException {
    SqliteSettings settings =
        SqliteSettings.builder(dir.resolve("a.db"))
            .synchronous(Synchronous.FULL)
            .busyTimeout(Duration.ofMillis(1234))
            .pragma("cache_size", "-4000")
            .build();
    try (Connection connection = settings.openConnection()) {
      assertEquals(expectedPragmas(settings, false), readPragmas(connection));
    }
  }

  @Test
  void rejectsMalformedOrDuplicatedPragmas() {
    SqliteSettings.Builder builder = SqliteSettings.builder(dir.resolve("a.db"));
    assertThrows(IllegalArgumentException.class, () -> builder.pragma("cache size", "1"));
    assertThrows(IllegalArgumentException.class, () -> builder.pragma("cache_size", "1; DROP"));
    IllegalArgumentException dedicated =
        assertThrows(IllegalArgumentException.class, () -> builder.pragma("SYNCHRONOUS", "OFF"));
    assertTrue(dedicated.getMessage().contains("synchronous"), dedicated.getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.busyTimeout(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> SqliteSettings.builder(null));
  }

  @Test
  void aPragmaSqliteIgnoresFailsTheOpenNamingIt() {
    SqliteSettings settings =
        SqliteSettings.builder(dir.resolve("a.db")).pragma("temp_store", "memory").build();
    SqliteOpenException error = assertThrows(SqliteOpenException.class, settings::openConnection);
    assertTrue(
        error.getMessage().contains("PRAGMA temp_store=memory did not take"), error.getMessage());
    assertTrue(error.getMessage().contains(settings.path().toString()), error.getMessage());
  }

  /**
   * Every connection a strategy opens carries the settings, including pooled connections opened
   * later under load and the reader connections, which add query_only.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#all")
  void everyConnectionOfEveryStrategyCarriesThePragmas(String strategy) throws Exception {
    SqliteSettings settings =
        TestDb.withTable(
            SqliteSettings.builder(dir.resolve("p.db"))
                .synchronous(Synchronous.FULL)
                .busyTimeout(Duration.ofMillis(4321))
                .pragma("cache_size", "-3000")
                .build());
    Map<String, String> writer =
        expectedPragmas(
            strategy.equals(Strategies.DEFERRED_NO_TIMEOUT)
                ? settings.withBusyTimeout(Duration.ZERO)
                : settings,
            false);
    Map<String, String> reader = new java.util.HashMap<>(writer);
    reader.put("query_only", "1");
    int callers = 6;
    try (WriteExecutor executor = Strategies.open(strategy, settings)) {
      // Callers hold their connection until all have one, so pooled strategies must open several.
      CountDownLatch together = new CountDownLatch(callers);
      List<CompletableFuture<Map<String, String>>> seen = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        seen.add(
            executor.submit(
                c -> {
                  together.countDown();
                  TestDb.await(together, 200);
                  return readPragmas(c);
                }));
      }
      for (CompletableFuture<Map<String, String>> future : seen) {
        assertEquals(writer, future.get(30, TimeUnit.SECONDS));
      }
      CountDownLatch readers = new CountDownLatch(3);
      List<CompletableFuture<Map<String, String>>> read = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        read.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return executor.read(
                        c -> {
                          readers.countDown();
                          TestDb.await(readers, 200);
                          return readPragmas(c);
                        });
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      for (CompletableFuture<Map<String, String>> future : read) {
        assertEquals(reader, future.get(30, TimeUnit.SECONDS));
      }
    }
  }

  private static Map<String, String> expectedPragmas(SqliteSettings settings, boolean reader) {
    Map<String, String> expected = new java.util.HashMap<>();
    expected.put("busy_timeout", Long.toString(settings.busyTimeout().toMillis()));
    expected.put("journal_mode", settings.journalMode().name().toLowerCase());
    expected.put("synchronous", Integer.toString(settings.synchronous().ordinal()));
    expected.put("foreign_keys", settings.foreignKeys() ? "1" : "0");
    expected.put("cache_size", settings.otherPragmas().getOrDefault("cache_size", "-2000"));
    expected.put("query_only", reader ? "1" : "0");
    return expected;
  }

  private static Map<String, String> readPragmas(Connection connection) throws SQLException {
    Map<String, String> values = new java.util.HashMap<>();
    for (String name :
        List.of(
            "busy_timeout",
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "cache_size",
            "query_only")) {
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("PRAGMA " + name)) {
        result.next();
        values.put(name, result.getString(1));
      }
    }
    return values;
  }
}
