package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an operator sees: the Micrometer meters agree with the executor's own counts, and the JFR
 * events appear in a recording read back from disk.
 */
class MetricsAndEventsTest {
  private static final int WRITES = 60;

  @TempDir Path dir;

  private static double count(MeterRegistry registry, String name) {
    return registry.get("sqlite.writers." + name).functionCounter().count();
  }

  @ParameterizedTest
  @MethodSource("io.github.sqlitewriters.TestDb#product")
  void metersAgreeWithTheExecutorsCounts(String strategy) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (WriteExecutor executor = Strategies.open(strategy, TestDb.tableIn(dir))) {
      MicrometerMetrics.of(executor, "orders").bindTo(registry);
      List<CompletableFuture<Long>> writes = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        writes.add(executor.submit(TestDb.insert(i)));
      }
      writes.add(executor.submit(TestDb.insert(0))); // a duplicate key: fails
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
          .exceptionally(e -> null)
          .get(1, TimeUnit.MINUTES);
      ExecutorStats stats = executor.stats();
      assertEquals(WRITES, count(registry, "tasks.committed"));
      assertEquals(1, count(registry, "tasks.failed"));
      assertEquals(stats.transactionsCommitted(), count(registry, "transactions.committed"));
      Timer endToEnd = registry.get("sqlite.writers.end.to.end").tag("name", "orders").timer();
      assertEquals(WRITES + 1, endToEnd.count());
      assertEquals(WRITES + 1, registry.get("sqlite.writers.queue.wait").timer().count());
      assertEquals(
          stats.transactionsCommitted(), registry.get("sqlite.writers.commit").timer().count());
      var perCommit = registry.get("sqlite.writers.writes.per.commit").summary();
      assertEquals(stats.transactionsCommitted(), perCommit.count());
      assertEquals(WRITES, perCommit.totalAmount());
      assertEquals(0, registry.get("sqlite.writers.in.flight").gauge().value());
      assertEquals(0, registry.get("sqlite.writers.queue.depth").gauge().value());
      assertEquals(strategy, endToEnd.getId().getTag("strategy"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.github.sqlitewriters.TestDb#dataSources")
  void theDataSourceHasMetersToo(String name) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (PoolDataSource dataSource =
        TestDb.dataSource(name, TestDb.tableIn(dir), ExecutorOptions.defaults())) {
      (dataSource instanceof GroupCommitDataSource
              ? MicrometerMetrics.of((GroupCommitDataSource) dataSource, "app")
              : MicrometerMetrics.of((ImmediateDataSource) dataSource, "app"))
          .bindTo(registry);
      for (int i = 0; i < 5; i++) {
        try (Connection c = dataSource.getConnection()) {
          c.setAutoCommit(false);
          TestDb.execute(c, "INSERT INTO t(k) VALUES (" + i + ")");
          c.commit();
        }
      }
      assertEquals(5, count(registry, "transactions.committed"));
      assertEquals(5, registry.get("sqlite.writers.commit").timer().count());
      assertEquals(5, registry.get("sqlite.writers.end.to.end").timer().count());
      assertEquals(0, registry.get("sqlite.writers.in.flight").gauge().value());
    }
  }

  @Test
  void commitsAndBusyWaitsAreRecordedAsJfrEvents() throws Exception {
    SqliteSettings settings = TestDb.tableIn(dir);
    Path file = dir.resolve("recording.jfr");
    try (Recording recording = new Recording();
        WriteExecutor executor = Strategies.open("immediate", settings)) {
      recording.enable("io.github.sqlitewriters.Commit");
      recording.enable("io.github.sqlitewriters.BusyWait");
      recording.start();
      for (int i = 0; i < 3; i++) {
        executor.write(TestDb.insert(i));
      }
      // A connection outside the executor holds the lock for a while: the writer waits.
      try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + settings.path());
          Statement s = outside.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        CompletableFuture<Long> waiting = executor.submit(TestDb.insert(99));
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        s.execute("COMMIT");
        waiting.get(1, TimeUnit.MINUTES);
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    List<RecordedEvent> commits =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("io.github.sqlitewriters.Commit"))
            .collect(Collectors.toList());
    assertEquals(4, commits.size(), events.toString());
    assertEquals("immediate", commits.get(0).getString("strategy"));
    assertEquals(1, commits.get(0).getInt("tasks"));
    RecordedEvent busy =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("io.github.sqlitewriters.BusyWait"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no busy wait recorded: " + events));
    assertEquals("BEGIN IMMEDIATE", busy.getString("statement"));
    assertTrue(busy.getInt("attempts") > 1);
    assertFalse(busy.getBoolean("gaveUp"));
    assertTrue(busy.getDuration().toMillis() >= 50, busy.toString());
  }
}
