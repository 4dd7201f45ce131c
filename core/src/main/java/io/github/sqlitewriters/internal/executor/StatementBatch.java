package io.github.sqlitewriters.internal.executor;

import io.github.sqlitewriters.SqlStatement;
import io.github.sqlitewriters.internal.connection.StatementCache;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
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

  /** Fails one task alone: it never ran, so nothing of it is in the transaction. */
  @FunctionalInterface
  interface FailAlone {
    void fail(WriteTask<?> task, SQLException error);
  }

  /**
   * Runs tasks {@code from} to {@code to} (exclusive) as one batch inside the open transaction, and
   * gives each its row's update count. A task whose parameter count does not match the statement's
   * is failed alone first, through {@code failAlone}, and never runs.
   *
   * @return the tasks that ran, in order
   * @throws SQLException if the batch failed; the caller rolls the transaction back
   */
  static List<WriteTask<?>> run(
      WriteConnection write, List<WriteTask<?>> tasks, int from, int to, FailAlone failAlone)
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
      List<WriteTask<?>> ran = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        SqlStatement task = (SqlStatement) tasks.get(i).work();
        if (task.parameterCount() != expected) {
          failAlone.fail(tasks.get(i), task.wrongParameterCount(expected));
          continue;
        }
        task.bind(statement);
        statement.addBatch();
        ran.add(tasks.get(i));
      }
      if (ran.isEmpty()) {
        return ran;
      }
      int[] counts = statement.executeBatch();
      for (int i = 0; i < ran.size(); i++) {
        ran.get(i).ranInBatch(counts[i]);
      }
      return ran;
    } finally {
      write.statements.give(entry, true);
    }
  }
}
