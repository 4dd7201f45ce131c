package io.github.sqlitewriters;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one write connection, kept for the next work that prepares the same SQL.
 * sqlite-jdbc keeps none of its own, and preparing a work's INSERT afresh for every task was about
 * a quarter of a group-commit writer's time.
 *
 * <p>A statement is lent to one work at a time: {@link #take} removes it, and the work's {@code
 * close()} (or the end of the work) gives it back with its parameters cleared. Bounded: the least
 * recently used statement is closed when more than {@link #CAPACITY} are idle. A statement that
 * sqlite-jdbc closed after an error is never lent again, and a schema change is safe: SQLite
 * prepares a statement again by itself when the schema it was prepared against has changed. Used by
 * one thread at a time, like the connection it belongs to.
 */
final class StatementCache {
  static final int CAPACITY = 64;

  private final Runnable onHit;
  private final Map<String, PreparedStatement> idle =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= CAPACITY) {
            return false;
          }
          closeQuietly(eldest.getValue());
          return true;
        }
      };

  /**
   * @param onHit called each time a statement is lent again instead of prepared
   */
  StatementCache(Runnable onHit) {
    this.onHit = onHit;
  }

  /** The cache key of a statement prepared with or without a request for generated keys. */
  static String key(String sql, boolean generatedKeys) {
    return (generatedKeys ? "K:" : "S:") + sql;
  }

  /** An idle, still open statement for the key, taken out of the cache; null if there is none. */
  PreparedStatement take(String key) {
    PreparedStatement statement = idle.remove(key);
    if (statement == null) {
      return null;
    }
    try {
      if (statement.isClosed()) {
        return null;
      }
    } catch (SQLException e) {
      return null;
    }
    onHit.run();
    return statement;
  }

  /** Gives a statement back, its parameters cleared; closes it if it cannot be reset or kept. */
  void give(String key, PreparedStatement statement) {
    try {
      if (statement.isClosed()) {
        return;
      }
      statement.clearParameters();
      statement.clearBatch();
    } catch (SQLException e) {
      closeQuietly(statement);
      return;
    }
    PreparedStatement previous = idle.put(key, statement);
    if (previous != null && previous != statement) {
      closeQuietly(previous);
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // Not reused either way.
    }
  }
}
