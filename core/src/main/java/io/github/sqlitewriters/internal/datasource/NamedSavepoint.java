package io.github.sqlitewriters.internal.datasource;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A savepoint set through {@code setSavepoint} on a lent connection, under a SQL name no caller's
 * SQL uses, so that a framework's nested transaction cannot release or roll back to a savepoint of
 * the caller's own by accident. JDBC's label (if any) is kept apart from the SQL name.
 */
final class NamedSavepoint implements Savepoint {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final int id;
  private final String label;

  NamedSavepoint(String label) {
    this.id = IDS.incrementAndGet();
    this.label = label;
  }

  String sqlName() {
    return "sqlite_writers_savepoint_" + id;
  }

  @Override
  public int getSavepointId() throws SQLException {
    if (label != null) {
      throw new SQLException("a named savepoint has no id: use getSavepointName()");
    }
    return id;
  }

  @Override
  public String getSavepointName() throws SQLException {
    if (label == null) {
      throw new SQLException("an unnamed savepoint has no name: use getSavepointId()");
    }
    return label;
  }
}
