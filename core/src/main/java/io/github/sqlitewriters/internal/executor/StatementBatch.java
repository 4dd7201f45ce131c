package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.SqlStatement;
import io.github.sqlitewriters.internal.connection.StatementCache;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Consecutive statement tasks ({@link SqlStatement}) with the same SQL, run by {@code group-commit}
 * as one {@code executeBatch} of one cached prepared statement on the write connection. A task run
 * as work costs a view, a lent statement and an execution through both; here a row costs its
 * binding and one step of the statement, which is what a caller who only wants "this INSERT, with
 * these values, durably" asks for.
 *
 * <p>A batch either runs whole or fails whole here: sqlite-jdbc stops at the first row that fails,
 * and an error (a full disk, a trigger's RAISE(ROLLBACK)) may have ended the transaction. The
 * executor then treats the batch as it treats a task that failed without a savepoint: the
 * transaction is rolled back and run again, each task from the first of the batch on in its own
 * savepoint, so the failing row fails its own caller and every other row commits.
 */
final class StatementBatch {
  private StatementBatch() {}

  /**
   * The end (exclusive) of the run of statement tasks with the same SQL that begins at {@code
   * from}, not past {@code limit}; {@code from} if the task there is not a statement task.
   */
  static int endOfRun(List<WriteTask<?>> tasks, int from, int limit) {
    if (from >= limit || !(tasks.get(from).work() instanceof SqlStatement)) {
      return from;
    }
    String sql = ((SqlStatement) tasks.get(from).work()).sql();
    int end = from + 1;
    while (end < limit
        && tasks.get(end).work() instanceof SqlStatement
        && sameSql(sql, ((SqlStatement) tasks.get(end).work()).sql())) {
      end++;
    }
    return end;
  }

  /** Usually one constant: the same String, and no comparison of its characters. */
  private static boolean sameSql(String a, String b) {
    return a == b || a.equals(b);
  }

  /**
   * Runs tasks {@code from} to {@code to} (exclusive) as one batch inside the open transaction, and
   * gives each its row's update count. Stops before the first task whose parameter count does not
   * match the statement's: that one runs as work and fails alone.
   *
   * @return the end (exclusive) of the tasks that ran, {@code from} if none did
   * @throws SQLException if the batch failed; the caller rolls the transaction back
   */
  static int run(WriteConnection write, List<WriteTask<?>> tasks, int from, int to)
      throws SQLException {
    String sql = ((SqlStatement) tasks.get(from).work()).sql();
    StatementCache.Key key = StatementCache.Key.work(sql, false);
    StatementCache.Cached entry = write.statements.take(key);
    if (entry == null) {
      entry = write.statements.keep(key, write.connection.prepareStatement(sql), SqlText.Kind.ROWS);
    }
    PreparedStatement statement = entry.statement();
    try {
      int expected = statement.getParameterMetaData().getParameterCount();
      int end = from;
      while (end < to && ((SqlStatement) tasks.get(end).work()).parameterCount() == expected) {
        ((SqlStatement) tasks.get(end).work()).bind(statement);
        statement.addBatch();
        end++;
      }
      if (end == from) {
        return from;
      }
      int[] counts = statement.executeBatch();
      for (int i = from; i < end; i++) {
        tasks.get(i).ranInBatch(counts[i - from]);
      }
      return end;
    } finally {
      write.statements.give(entry, true);
    }
  }
}
