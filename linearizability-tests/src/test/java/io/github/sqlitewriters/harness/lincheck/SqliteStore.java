package io.github.sqlitewriters.harness.lincheck;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.harness.Harness;
import io.github.sqlitewriters.harness.Sql;
import io.github.sqlitewriters.harness.invariants.InvariantTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The object Lincheck drives: a small key set, a counter and three accounts kept in a SQLite file,
 * every operation one transaction through a {@link WriteExecutor}. Its answers are checked against
 * {@link SequentialStore}, plain Java that is obviously right, so the system under test is not its
 * own reference.
 *
 * <p>Lincheck builds a new instance per invocation, so each opens a fresh database. The previous
 * instance is closed (and its file deleted) when the next one is built: Lincheck has finished with
 * it by then, and this keeps thousands of invocations from piling up threads and files.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "account", gen = IntGen.class, conf = "0:2")
@Param(name = "amount", gen = IntGen.class, conf = "1:4")
public final class SqliteStore {
  static final int ACCOUNTS = 3;
  static final long INITIAL_BALANCE = 5;

  /** Set by the JUnit test before it calls Lincheck; Lincheck needs a no-argument constructor. */
  static volatile String strategy;

  static volatile Path directory;

  private static final AtomicInteger instances = new AtomicInteger();
  private static final AtomicReference<SqliteStore> previous = new AtomicReference<>();

  private final Path file;
  private final WriteExecutor executor;

  public SqliteStore() throws SQLException {
    closePrevious();
    file = directory.resolve("store-" + instances.incrementAndGet() + ".db");
    SqliteSettings settings = SqliteSettings.builder(file).build();
    Harness.setUp(
        settings,
        "CREATE TABLE keys(k INTEGER PRIMARY KEY)",
        "CREATE TABLE counter(id INTEGER PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO counter VALUES (1, 0)",
        "CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)",
        "INSERT INTO accounts VALUES (0, " + INITIAL_BALANCE + ")",
        "INSERT INTO accounts VALUES (1, " + INITIAL_BALANCE + ")",
        "INSERT INTO accounts VALUES (2, " + INITIAL_BALANCE + ")");
    ExecutorOptions small =
        ExecutorOptions.builder().readerConnections(2).maxConnections(4).build();
    executor = Strategies.open(strategy, settings, small);
    previous.set(this);
  }

  @Operation
  public boolean insert(@Param(name = "key") int key) throws SQLException {
    return executor.write(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT OR IGNORE INTO keys VALUES (?)")) {
            insert.setInt(1, key);
            return insert.executeUpdate() == 1;
          }
        });
  }

  @Operation
  public long count() throws SQLException {
    return executor.read(c -> Sql.queryLong(c, "SELECT count(*) FROM keys"));
  }

  @Operation
  public long increment() throws SQLException {
    return executor.write(InvariantTest::increment);
  }

  @Operation
  public boolean transfer(
      @Param(name = "account") int from,
      @Param(name = "account") int to,
      @Param(name = "amount") int amount)
      throws SQLException {
    if (from == to) {
      return false;
    }
    return executor.write(c -> InvariantTest.transfer(c, from, to, amount));
  }

  @Operation
  public long total() throws SQLException {
    return executor.read(InvariantTest::total);
  }

  private void close() {
    executor.close();
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      try {
        Files.deleteIfExists(Path.of(file + suffix));
      } catch (IOException ignored) {
        // The JUnit temporary directory removes whatever is left.
      }
    }
  }

  /** Closes the last instance; the JUnit test calls this once Lincheck is done. */
  static void closePrevious() {
    SqliteStore last = previous.getAndSet(null);
    if (last != null) {
      last.close();
    }
  }
}
