package io.github.sqlitewriters.internal.connection;

import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one write connection, kept for their next use: the works' statements, lent
 * to the next work that prepares the same SQL, and the executor's own transaction control (BEGIN
 * IMMEDIATE, COMMIT, SAVEPOINT, ...), run in place. sqlite-jdbc keeps none of its own; preparing a
 * work's INSERT afresh for every task was about a quarter of a group-commit writer's time, and a
 * writer runs several control statements a task. One cache for both, so that the rules for a
 * statement kept across uses (bounded, dropped after an error) are written once.
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

  private final Connection connection;
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
   * @param connection where the control statements are prepared (a work's are prepared by its view)
   * @param onHit called each time a statement is lent again instead of prepared
   */
  StatementCache(Connection connection, Runnable onHit) {
    this.connection = connection;
    this.onHit = onHit;
  }

  /** What a statement is kept for. */
  public enum Use {
    /** A work's statement, prepared with the SQL alone. */
    WORK,
    /** A work's statement prepared with RETURN_GENERATED_KEYS. */
    WORK_WITH_KEYS,
    /**
     * The executor's own transaction control: never lent to a work, so a work that prepares the
     * same text (a COMMIT it will be refused) gets a statement of its own.
     */
    CONTROL
  }

  /**
   * The cache key of a statement: its SQL and what it is kept for. A record, not a concatenated
   * string: a work's SQL is usually one constant whose hash the String keeps, so a lookup costs no
   * copy and no hashing of the whole text.
   */
  public record Key(String sql, Use use) {
    /** A work's statement, prepared with or without a request for generated keys. */
    public static Key work(String sql, boolean generatedKeys) {
      return new Key(sql, generatedKeys ? Use.WORK_WITH_KEYS : Use.WORK);
    }

    /** Whether the statement was prepared with a request for generated keys. */
    public boolean generatedKeys() {
      return use == Use.WORK_WITH_KEYS;
    }
  }

  /**
   * Runs one control statement of the executor's, prepared on its first use and kept while it
   * succeeds. sqlite-jdbc closes a prepared statement after an error from it (a COMMIT that met a
   * full disk, say), and a closed statement fails every later use with "statement is not
   * executing"; so a statement that failed is dropped and prepared afresh on its next use. Not
   * counted as a work's reuse in the statistics.
   */
  public void execute(String sql) throws SQLException {
    Key key = new Key(sql, Use.CONTROL);
    Cached entry = entries.get(key);
    if (entry == null) {
      // Its kind is never read: a control statement is not a work's, so the view never sees it.
      entry = new Cached(key, connection.prepareStatement(sql), SqlText.Kind.OTHER);
      entries.put(key, entry);
    }
    try {
      entry.statement.executeUpdate();
    } catch (SQLException e) {
      entries.remove(key);
      ConnectionSteps.closeQuietly(entry.statement, e);
      throw e;
    }
  }

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
