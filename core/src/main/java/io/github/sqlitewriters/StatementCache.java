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
  private final Map<Key, Idle> idle =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Idle> eldest) {
          if (size() <= CAPACITY) {
            return false;
          }
          SqlStatements.closeQuietly(eldest.getValue().statement(), null);
          return true;
        }
      };

  /**
   * @param onHit called each time a statement is lent again instead of prepared
   */
  StatementCache(Runnable onHit) {
    this.onHit = onHit;
  }

  /**
   * The cache key of a statement prepared with or without a request for generated keys. A record,
   * not a concatenated string: a work's SQL is usually one constant whose hash the String keeps, so
   * a lookup costs no copy and no hashing of the whole text.
   */
  record Key(String sql, boolean generatedKeys) {}

  /**
   * A statement waiting in the cache, with what {@link SqlText} said of its SQL when it was first
   * prepared, so that a statement lent again is not read again.
   */
  record Idle(PreparedStatement statement, SqlText.Kind kind) {}

  /** An idle, still open statement for the key, taken out of the cache; null if there is none. */
  Idle take(Key key) {
    Idle found = idle.remove(key);
    if (found == null) {
      return null;
    }
    try {
      if (found.statement().isClosed()) {
        return null;
      }
    } catch (SQLException e) {
      return null;
    }
    onHit.run();
    return found;
  }

  /** Gives a statement back, its parameters cleared; closes it if it cannot be reset or kept. */
  void give(Key key, PreparedStatement statement, SqlText.Kind kind) {
    try {
      if (statement.isClosed()) {
        return;
      }
      statement.clearParameters();
      statement.clearBatch();
    } catch (SQLException e) {
      SqlStatements.closeQuietly(statement, null);
      return;
    }
    Idle previous = idle.put(key, new Idle(statement, kind));
    if (previous != null && previous.statement() != statement) {
      SqlStatements.closeQuietly(previous.statement(), null);
    }
  }
}
