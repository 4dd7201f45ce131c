package io.github.sqlitewriters.harness.processes;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.GroupCommitDataSource;
import io.github.sqlitewriters.ImmediateDataSource;
import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.JournalMode;
import io.github.sqlitewriters.SqliteSettings.Synchronous;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import io.github.sqlitewriters.internal.process.ProcessTurn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A separate JVM that writes single-row INSERTs to a shared file for a fixed time, for the tests of
 * turns across processes ({@link ProcessTurnsTest}). Every process starts writing at the same wall
 * clock instant and stops at the same one, so that their counts are shares of one run. Prints one
 * line, {@code RESULT committed=N failed=N longestMs=N}, then the errors it met, if any.
 *
 * <p>Arguments: database path, writer, journal mode, synchronous, threads, start (epoch ms),
 * seconds, process number, threads kind ({@code platform} or {@code virtual}). The writer is a
 * strategy name, {@code immediate-data-source}, {@code group-commit-data-source}, or {@code
 * foreign}: a plain sqlite-jdbc connection per thread that does not use this library ({@code BEGIN
 * IMMEDIATE} under SQLite's own busy timeout of 30 s), as an older application or a script beside
 * ours would. With writer {@code holder:STRATEGY} the process writes one row in a transaction that
 * never ends, prints {@code HOLDING}, and waits to be killed. With writer {@code turn-holder} it
 * takes this process's turn among the processes and keeps it without touching SQLite's lock, as a
 * process stopped between its COMMIT and the end of its turn would, prints {@code HOLDING}, and
 * waits to be killed.
 */
public final class TurnWriter {
  private TurnWriter() {}

  /** One caller's write, however the process writes. */
  private interface Write {
    void insert(int thread, long seq) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    String writer = args[1];
    SqliteSettings settings =
        SqliteSettings.builder(db)
            .journalMode(JournalMode.valueOf(args[2]))
            .synchronous(Synchronous.valueOf(args[3]))
            .build();
    int threads = Integer.parseInt(args[4]);
    long startAtMillis = Long.parseLong(args[5]);
    long seconds = Long.parseLong(args[6]);
    int process = Integer.parseInt(args[7]);
    boolean virtual = args[8].equals("virtual");
    String sql = "INSERT INTO t(process, thread, seq) VALUES (" + process + ", ?, ?)";

    if (writer.equals("turn-holder")) {
      ProcessTurn turn = ProcessTurn.open(db);
      if (!turn.take(System.nanoTime() + TimeUnit.SECONDS.toNanos(30))) {
        throw new IllegalStateException("no turn to hold");
      }
      System.out.println("HOLDING");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
      return;
    }

    if (writer.equals("holder:" + GroupCommitDataSource.NAME)) {
      // A DataSource transaction killed while it holds the shared write connection's transaction.
      try (GroupCommitDataSource source =
              GroupCommitDataSource.open(settings, ExecutorOptions.defaults());
          Connection c = source.getConnection()) {
        c.setAutoCommit(false);
        insertAndHold(c, sql);
      }
      return;
    }

    if (writer.startsWith("holder:")) {
      try (WriteExecutor executor = Strategies.open(writer.substring(7), settings)) {
        executor.write(
            c -> {
              insertAndHold(c, sql);
              return null;
            });
      }
      return;
    }

    AutoCloseable opened;
    Write write;
    if (writer.equals(ImmediateDataSource.NAME) || writer.equals(GroupCommitDataSource.NAME)) {
      AutoCloseable dataSource =
          writer.equals(ImmediateDataSource.NAME)
              ? ImmediateDataSource.open(settings, ExecutorOptions.defaults())
              : GroupCommitDataSource.open(settings, ExecutorOptions.defaults());
      DataSource source = (DataSource) dataSource;
      opened = dataSource;
      write =
          (thread, seq) -> {
            try (Connection c = source.getConnection()) {
              c.setAutoCommit(false);
              try (PreparedStatement insert = c.prepareStatement(sql)) {
                insert.setInt(1, thread);
                insert.setLong(2, seq);
                insert.executeUpdate();
              }
              c.commit();
            }
          };
    } else if (writer.equals("foreign")) {
      Map<Integer, Connection> connections = new ConcurrentHashMap<>();
      opened = () -> connections.values().forEach(TurnWriter::closeQuietly);
      write =
          (thread, seq) -> {
            Connection c = connections.computeIfAbsent(thread, t -> foreignConnection(db));
            try (Statement control = c.createStatement();
                PreparedStatement insert = c.prepareStatement(sql)) {
              control.execute("BEGIN IMMEDIATE");
              try {
                insert.setInt(1, thread);
                insert.setLong(2, seq);
                insert.executeUpdate();
                control.execute("COMMIT");
              } catch (SQLException e) {
                control.execute("ROLLBACK");
                throw e;
              }
            }
          };
    } else {
      WriteExecutor executor = Strategies.open(writer, settings);
      opened = executor;
      write =
          (thread, seq) ->
              executor.write(
                  c -> {
                    try (PreparedStatement insert = c.prepareStatement(sql)) {
                      insert.setInt(1, thread);
                      insert.setLong(2, seq);
                      return insert.executeUpdate();
                    }
                  });
    }

    LongAdder committed = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicLong longestNanos = new AtomicLong();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    long endAtMillis = startAtMillis + seconds * 1000;
    List<Future<?>> callers = new ArrayList<>();
    ExecutorService threadsForCallers =
        virtual ? virtualThreads() : Executors.newFixedThreadPool(threads);
    try (opened) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Runnable caller =
            () -> {
              sleepUntil(startAtMillis);
              for (long seq = 0; System.currentTimeMillis() < endAtMillis; seq++) {
                long start = System.nanoTime();
                try {
                  write.insert(thread, seq);
                  committed.increment();
                } catch (Exception e) {
                  failed.increment();
                  errors.computeIfAbsent(e.toString(), k -> new LongAdder()).increment();
                }
                longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
              }
            };
        callers.add(threadsForCallers.submit(caller));
      }
      for (Future<?> caller : callers) {
        caller.get();
      }
    } finally {
      threadsForCallers.shutdownNow();
    }
    System.out.println(
        "RESULT committed="
            + committed.sum()
            + " failed="
            + failed.sum()
            + " longestMs="
            + longestNanos.get() / 1_000_000);
    errors.forEach((error, count) -> System.out.println("ERROR " + count + " x " + error));
  }

  /**
   * Writes row (0, 0) in the caller's open transaction, says HOLDING, and keeps the transaction
   * open until the process is killed.
   */
  private static void insertAndHold(Connection c, String sql) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      insert.setInt(1, 0);
      insert.setLong(2, 0);
      insert.executeUpdate();
    }
    System.out.println("HOLDING");
    System.out.flush();
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A virtual-thread-per-task executor (JDK 21 and later; the build's baseline is 17). */
  private static ExecutorService virtualThreads() throws ReflectiveOperationException {
    return (ExecutorService)
        Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }

  private static Connection foreignConnection(Path db) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 30000");
      }
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Closing at exit: nothing more to do.
    }
  }

  private static void sleepUntil(long epochMillis) {
    long wait;
    while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
