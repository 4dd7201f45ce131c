package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one table of strategy facts: every name in it once, with a kind, a way to run and opener. */
class StrategiesTest {
  @TempDir Path dir;

  @Test
  void theProductIsTheThreeStrategiesTheReadmeRecommends() {
    assertEquals(
        List.of(Strategies.IMMEDIATE, Strategies.SERIALIZED_WRITER, Strategies.GROUP_COMMIT),
        Strategies.names(Strategies.Kind.PRODUCT));
    assertEquals(
        List.of(Strategies.SERIALIZED_WRITER, Strategies.GROUP_COMMIT),
        Strategies.names(Strategies.Runs.WRITER_THREAD));
  }

  @Test
  void everyStrategyHasOneKindAndOneWayToRun() {
    List<String> byKind = new ArrayList<>();
    for (Strategies.Kind kind : Strategies.Kind.values()) {
      byKind.addAll(Strategies.names(kind));
    }
    List<String> byRuns = new ArrayList<>();
    for (Strategies.Runs runs : Strategies.Runs.values()) {
      byRuns.addAll(Strategies.names(runs));
    }
    assertEquals(Strategies.names().size(), byKind.size());
    assertEquals(Strategies.names().size(), byRuns.size());
    assertTrue(byKind.containsAll(Strategies.names()) && byRuns.containsAll(Strategies.names()));
  }

  @Test
  void everyNameOpensTheStrategyOfThatName() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    for (String name : Strategies.names()) {
      try (WriteExecutor executor = Strategies.open(name, settings)) {
        assertEquals(name, executor.name());
      }
    }
  }

  @Test
  void anUnknownNameIsRefusedWithTheKnownOnes() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Strategies.kind("group_commit"));
    assertTrue(refused.getMessage().contains("group-commit"), refused.getMessage());
  }
}
