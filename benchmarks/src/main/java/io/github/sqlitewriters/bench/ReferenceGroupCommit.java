package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.SqliteSettings.GeneratedKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The simplest correct group commit, the bar {@code group-commit} is held to: one writer thread, a
 * queue, one BEGIN IMMEDIATE / COMMIT per batch of whatever is waiting, one cached INSERT, and
 * nothing else (no savepoints, no sealed view, no healing, no busy retries; a failing row fails its
 * whole batch). It writes rows of the benchmark table only: it is not a WriteExecutor. It opens its
 * connection with the same {@link SqliteSettings} as the strategies, and reads generated keys on
 * request as group-commit does by default, so group-commit's ratio to it is the executor's own
 * cost.
 *
 * <p>With {@code oneExecuteBatch} it binds every row of a batch and runs them as one {@code
 * executeBatch}, as group-commit runs statement tasks: the bar for those, with callers that submit
 * and wait as the statement tasks' callers do, so that the shape of the load weighs on both alike.
 */
final class ReferenceGroupCommit implements AutoCloseable {
  private static final int MAX_BATCH = 1024;
  private static final Row STOP = new Row(0);

  /** One row to insert, and the future its caller waits on. */
  static final class Row {
    final long k;
    final CompletableFuture<Void> committed = new CompletableFuture<>();

    Row(long k) {
      this.k = k;
    }
  }

  private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
  private final Connection connection;
  private final PreparedStatement begin;
  private final PreparedStatement insert;
  private final PreparedStatement commit;
  private final Thread writer;
  private final boolean oneExecuteBatch;

  ReferenceGroupCommit(SqliteSettings settings, boolean oneExecuteBatch) throws SQLException {
    this.oneExecuteBatch = oneExecuteBatch;
    // Generated keys as group-commit reads them by default, so that the two differ only in code.
    connection =
        settings.generatedKeys().isPresent()
            ? settings.openConnection()
            : settings.toBuilder().generatedKeys(GeneratedKeys.ON_REQUEST).build().openConnection();
    begin = connection.prepareStatement("BEGIN IMMEDIATE");
    insert = connection.prepareStatement(Rows.INSERT);
    commit = connection.prepareStatement("COMMIT");
    writer = new Thread(this::writeLoop, "reference-group-commit");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues one row; the future completes once the COMMIT holding it has returned. */
  CompletableFuture<Void> submit(long k) {
    Row row = new Row(k);
    queue.add(row);
    return row.committed;
  }

  private void writeLoop() {
    List<Row> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stopping = batch.remove(STOP);
      if (!batch.isEmpty()) {
        commitBatch(batch);
      }
      batch.clear();
    }
  }

  private void commitBatch(List<Row> batch) {
    try {
      begin.executeUpdate();
      for (Row row : batch) {
        insert.setLong(1, row.k);
        insert.setString(2, Rows.VALUE);
        if (oneExecuteBatch) {
          insert.addBatch();
        } else {
          insert.executeUpdate();
        }
      }
      if (oneExecuteBatch) {
        insert.executeBatch();
      }
      commit.executeUpdate();
    } catch (SQLException e) {
      try {
        insert.clearBatch();
        connection.createStatement().execute("ROLLBACK");
      } catch (SQLException ignored) {
        // Nothing was open, or the connection is gone: the rows fail either way.
      }
      for (Row row : batch) {
        row.committed.completeExceptionally(e);
      }
      return;
    }
    for (Row row : batch) {
      row.committed.complete(null);
    }
  }

  @Override
  public void close() throws SQLException {
    queue.add(STOP);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
