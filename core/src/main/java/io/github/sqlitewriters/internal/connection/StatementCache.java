package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one write connection, kept for the next work that prepares the same SQL.
 * sqlite-jdbc keeps none of its own, and preparing a work's INSERT afresh for every task was about
 * a quarter of a group-commit writer's time.
 *
 * <p>A statement is lent to one work at a time: {@link #take} marks its entry lent, and the work's
 * {@code close()} (or the end of the work) gives it back with its parameters cleared. The entry
 * stays in the map while lent, so lending and giving back allocate nothing: on a writer that runs a
 * task every microsecond, taking the entry out and putting a new one back was most of what the
 * cache cost. Bounded: the least recently used entry goes when there are more than {@link
 * #CAPACITY}; an idle statement is closed then, one still lent is closed when its work gives it
 * back. A statement that sqlite-jdbc closed after an error is never lent again, and a schema change
 * is safe: SQLite prepares a statement again by itself when the schema it was prepared against has
 * changed. Used by one thread at a time, like the connection it belongs to.
 */
public final class StatementCache {
  public static final int CAPACITY = 64;

  private final Runnable onHit;
  private final Map<Key, Cached> entries =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
          if (size() <= CAPACITY) {
            return false;
          }
          eldest.getValue().evict();
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
  public record Key(String sql, boolean generatedKeys) {}

  /**
   * One cached statement under its key, with what {@link SqlText} said of its SQL when it was first
   * prepared, so that a statement lent again is not read again.
   */
  public static final class Cached {
    private final Key key;
    private final PreparedStatement statement;
    private final SqlText.Kind kind;
    private boolean lent;
    private boolean evicted;

    private Cached(Key key, PreparedStatement statement, SqlText.Kind kind) {
      this.key = key;
      this.statement = statement;
      this.kind = kind;
    }

    public Key key() {
      return key;
    }

    public PreparedStatement statement() {
      return statement;
    }

    public SqlText.Kind kind() {
      return kind;
    }

    /** Out of the cache: closed now if idle, at its give-back if lent. */
    private void evict() {
      evicted = true;
      if (!lent) {
        ConnectionSteps.closeQuietly(statement, null);
      }
    }
  }

  /**
   * An idle, still open statement for the key, now lent; null if there is none (never cached, or
   * lent already), in which case the caller prepares one and {@linkplain #keep keeps} it.
   */
  public Cached take(Key key) {
    Cached found = entries.get(key);
    if (found == null || found.lent) {
      return null;
    }
    boolean open;
    try {
      open = !found.statement.isClosed();
    } catch (SQLException e) {
      open = false;
    }
    if (!open) {
      entries.remove(key);
      return null;
    }
    found.lent = true;
    onHit.run();
    return found;
  }

  /**
   * A statement just prepared for a work, lent to it: cached under the key unless another statement
   * already is (lent to the same work), in which case it is not cached and is closed when given
   * back.
   */
  public Cached keep(Key key, PreparedStatement statement, SqlText.Kind kind) {
    Cached entry = new Cached(key, statement, kind);
    entry.lent = true;
    if (entries.putIfAbsent(key, entry) != null) {
      entry.evicted = true;
    }
    return entry;
  }

  /**
   * Gives a lent statement back, its parameters cleared ({@code reusable} false: it had a setting
   * that would outlive the work); closes it if it cannot be reset or kept.
   */
  public void give(Cached entry, boolean reusable) {
    entry.lent = false;
    PreparedStatement statement = entry.statement;
    try {
      if (!entry.evicted && reusable && !statement.isClosed()) {
        statement.clearParameters();
        statement.clearBatch();
        return;
      }
    } catch (SQLException e) {
      // Cannot be reset: not lent again.
    }
    if (!entry.evicted) {
      entries.remove(entry.key);
    }
    ConnectionSteps.closeQuietly(statement, null);
  }
}
