package io.github.sqlitewriters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/** Real database files for tests, and an outside view of them through a separate connection. */
final class TestDb {
  static final List<String> ALL = Strategies.names();

  /** The strategies that queue callers on a writer thread. */
  static final List<String> WRITER_THREAD = Strategies.names(Strategies.Runs.WRITER_THREAD);

  /** The strategies a user adopts, which must hold their contract against hostile work too. */
  static final List<String> PRODUCT = Strategies.names(Strategies.Kind.PRODUCT);

  private TestDb() {}

  static Stream<String> product() {
    return PRODUCT.stream();
  }

  static Stream<String> all() {
    return ALL.stream();
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> allWithReplacement() {
    return ALL.stream()
        .flatMap(
            name ->
                Stream.of(
                    org.junit.jupiter.params.provider.Arguments.of(name, false),
                    org.junit.jupiter.params.provider.Arguments.of(name, true)));
  }

  static Stream<String> allButNoTimeout() {
    return ALL.stream().filter(name -> !name.equals(Strategies.DEFERRED_NO_TIMEOUT));
  }

  static Stream<String> writerThread() {
    return WRITER_THREAD.stream();
  }

  /** The DataSources a framework user takes, by name. */
  static Stream<String> dataSources() {
    return Stream.of(ImmediateDataSource.NAME, GroupCommitDataSource.NAME);
  }

  static PoolDataSource dataSource(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    switch (name) {
      case ImmediateDataSource.NAME:
        return ImmediateDataSource.open(settings, options);
      case GroupCommitDataSource.NAME:
        return GroupCommitDataSource.open(settings, options);
      default:
        throw new IllegalArgumentException("no DataSource named " + name);
    }
  }

  static SqliteSettings settings(Path dir) {
    return SqliteSettings.builder(dir.resolve("test.db")).build();
  }

  /** Creates {@code t(id INTEGER PRIMARY KEY, k INTEGER UNIQUE, v TEXT)} through the settings. */
  static SqliteSettings withTable(SqliteSettings settings) throws SQLException {
    try (Connection connection = settings.openConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, k INTEGER UNIQUE, v TEXT)");
    }
    return settings;
  }

  static SqliteSettings tableIn(Path dir) throws SQLException {
    return withTable(settings(dir));
  }

  /** Work that inserts one row with key {@code k} and returns the key. */
  static SqlWork<Long> insert(long k) {
    return connection -> {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO t(k, v) VALUES (?, 'value')")) {
        insert.setLong(1, k);
        insert.executeUpdate();
      }
      return k;
    };
  }

  /** Runs one statement on the work's connection and returns its update count. */
  static int execute(Connection c, String sql) throws SQLException {
    try (Statement statement = c.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  /** Rows in t, counted through a connection of its own, outside any executor. */
  static long count(SqliteSettings settings) throws SQLException {
    return queryLong(settings.path(), "SELECT count(*) FROM t");
  }

  static boolean hasKey(SqliteSettings settings, long k) throws SQLException {
    return queryLong(settings.path(), "SELECT count(*) FROM t WHERE k = " + k) == 1;
  }

  static long queryLong(Path db, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * Occupies the executor with a task that waits until {@link Hold#release()}, so that what is
   * submitted meanwhile queues up behind it, and a writer thread takes it as one batch.
   */
  static Hold hold(WriteExecutor executor) throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Object> task =
        executor.submit(
            c -> {
              holding.countDown();
              await(release, 10_000);
              return null;
            });
    if (!holding.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("the holding task did not start");
    }
    return new Hold(release, task);
  }

  /** The task {@link #hold} started. */
  record Hold(
      java.util.concurrent.CountDownLatch latch,
      java.util.concurrent.CompletableFuture<Object> task) {
    /** Lets the holding task finish, and waits until it has. */
    void release() throws Exception {
      latch.countDown();
      task.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Awaits a latch from inside work, whose signature allows only SQLException. */
  static boolean await(java.util.concurrent.CountDownLatch latch, long millis) throws SQLException {
    try {
      return latch.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting in work", e);
    }
  }

  /**
   * Makes a file unwritable even for root (who ignores permission bits) with the immutable
   * attribute; {@link #makeWritable} undoes it so the temporary directory can be deleted.
   */
  static void makeReadOnly(Path file) throws IOException, InterruptedException {
    if (!file.toFile().setWritable(false, false)) {
      throw new IOException("cannot clear write permission on " + file);
    }
    if (Files.isWritable(file)) {
      run("chattr", "+i", file.toString());
    }
  }

  static void makeWritable(Path file) throws IOException, InterruptedException {
    if (Files.exists(file)) {
      if ("root".equals(System.getProperty("user.name"))) {
        run("chattr", "-i", file.toString());
      }
      file.toFile().setWritable(true);
    }
  }

  /** Runs a command and fails with its output if it exits non-zero. */
  static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** A thread's body for {@link #started}, which may throw. */
  interface Loop {
    void run() throws Exception;
  }

  /** Starts a thread that runs the loop; an exception from it is rethrown as an AssertionError. */
  static Thread started(Loop loop) {
    Thread thread =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    thread.start();
    return thread;
  }
}
