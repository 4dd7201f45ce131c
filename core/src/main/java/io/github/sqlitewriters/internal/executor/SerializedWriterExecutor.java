package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqliteSettings;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code serialized-writer}: one writer thread, one task per transaction, in arrival order. The
 * simplest executor that can never meet SQLITE_BUSY from its own process; each task pays a full
 * COMMIT, which {@code group-commit} shares.
 */
public final class SerializedWriterExecutor extends WriterThreadExecutor {

  public SerializedWriterExecutor(String name, SqliteSettings settings, ExecutorOptions options)
      throws SQLException {
    super(name, settings, options);
  }

  @Override
  int batchLimit() {
    return 1;
  }

  @Override
  void runBatch(List<WriteTask<?>> tasks) {
    WriteTask<?> task = tasks.get(0);
    started(tasks);
    long start = System.nanoTime();
    try {
      transactions.run(
          writeConnection,
          guarded -> {
            task.run(guarded);
            return null;
          },
          task.queuedNanos());
      task.succeed();
    } catch (Throwable e) {
      fail(task, e, start);
    }
  }
}
