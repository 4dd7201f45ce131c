package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.sql.SqlText;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One row statement (an INSERT, UPDATE, DELETE or REPLACE) with its parameters, handed to an
 * executor as a task of its own: {@code executor.write(sql, parameters...)} returns its update
 * count once committed, {@code submit(sql, parameters...)} a future of it.
 *
 * <p>Why a type of its own, when a {@link SqlWork} lambda can run the same statement: the executor
 * can see what a statement task will do before it runs it. Under {@code group-commit}, consecutive
 * statement tasks with the same SQL in one transaction run as one {@code executeBatch} of one
 * cached prepared statement, instead of a view, a lent statement and an execution each, which is
 * most of what a small write costs once its COMMIT is shared. Every other strategy runs it as
 * ordinary work, with the same result. Each task keeps its own outcome: a row that fails (a
 * constraint, say) fails its own caller, and the rows around it commit.
 *
 * <p>What cannot be a statement task is refused when the task is made, before it is queued: several
 * statements in one string, transaction control, PRAGMAs and DDL (they change the connection, not
 * rows), queries, {@code WITH} and {@code RETURNING} (a statement task returns a count, not rows),
 * and parameters SQLite cannot bind. Immutable: the parameters are copied, byte arrays and dates
 * too, so a caller may reuse its buffers at once.
 */
public final class SqlStatement implements SqlWork<Integer> {
  private static final Pattern RETURNING =
      Pattern.compile("\\bRETURNING\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern DO_UPDATE =
      Pattern.compile("\\bDO\\s+UPDATE\\b", Pattern.CASE_INSENSITIVE);

  /**
   * SQL texts already found to be one row statement. A caller submits the same few constants again
   * and again, and reading the text afresh on every task cost more than the rest of making one.
   * Cleared when it grows past {@link #KNOWN_LIMIT}, so text built per call cannot grow it for
   * ever.
   */
  private static final Map<String, Boolean> KNOWN_ROW_STATEMENTS = new ConcurrentHashMap<>();

  private static final int KNOWN_LIMIT = 1_024;

  private final String sql;
  private final Object[] parameters;

  private SqlStatement(String sql, Object[] parameters) {
    this.sql = sql;
    this.parameters = parameters;
  }

  /**
   * A statement task: {@code sql} with its {@code ?} parameters bound in order to {@code
   * parameters}.
   *
   * @param parameters null, a {@link Number} (Integer, Long, Short, Byte, Double, Float,
   *     BigDecimal), a String, a byte array, a Boolean, or a {@link java.util.Date} (and its
   *     java.sql kinds)
   * @throws NotAStatementTaskException if the SQL is not one row statement, or a parameter cannot
   *     be bound
   * @throws TransactionControlException if the SQL begins or ends a transaction
   */
  public static SqlStatement of(String sql, Object... parameters) throws SQLException {
    Objects.requireNonNull(sql, "sql");
    Object[] copy = parameters == null ? new Object[] {null} : parameters.clone();
    if (!KNOWN_ROW_STATEMENTS.containsKey(sql)) {
      checkOneRowStatement(sql);
      if (KNOWN_ROW_STATEMENTS.size() >= KNOWN_LIMIT) {
        KNOWN_ROW_STATEMENTS.clear();
      }
      KNOWN_ROW_STATEMENTS.put(sql, Boolean.TRUE);
    }
    for (int i = 0; i < copy.length; i++) {
      Object value = copy[i];
      // The task may run after the caller has reused its buffer: keep what it held now.
      if (value instanceof byte[]) {
        copy[i] = ((byte[]) value).clone();
      } else if (value instanceof java.util.Date) {
        copy[i] = ((java.util.Date) value).clone();
      } else if (value instanceof Byte || value instanceof Short) {
        // sqlite-jdbc binds these as text: as integers they compare equal to the same numbers.
        copy[i] = ((Number) value).intValue();
      } else if (value instanceof Float) {
        copy[i] = ((Float) value).doubleValue();
      }
      if (!(value == null
          || isBindableNumber(value)
          || value instanceof String
          || value instanceof byte[]
          || value instanceof Boolean
          || value instanceof java.util.Date)) {
        throw new NotAStatementTaskException(
            "parameter "
                + (i + 1)
                + " is a "
                + value.getClass().getName()
                + ", which SQLite cannot bind",
            sql);
      }
    }
    return new SqlStatement(sql, copy);
  }

  private static void checkOneRowStatement(String sql) throws SQLException {
    SqlText.Kind kind = SqlText.classify(sql);
    if (kind == SqlText.Kind.SAVEPOINT) {
      throw new NotAStatementTaskException("a savepoint is a scope inside work", sql);
    }
    if (kind == SqlText.Kind.OTHER) {
      throw new NotAStatementTaskException(
          SqlText.severalStatements(sql)
              ? "several statements in one string"
              : "it is not a row statement (a PRAGMA, DDL, ATTACH or the like)",
          sql);
    }
    if (SqlText.onlyReads(sql)) {
      throw new NotAStatementTaskException("a query returns rows; read it with read()", sql);
    }
    if (!SqlText.insertsUpdatesOrDeletes(sql)) {
      // A WITH may end in a SELECT as well as in an INSERT: no text check short of a parser can
      // tell, and a SELECT run as an update reports the previous statement's count.
      throw new NotAStatementTaskException(
          "a statement task begins with INSERT, UPDATE, DELETE or REPLACE", sql);
    }
    if (RETURNING.matcher(sql).find()) {
      throw new NotAStatementTaskException("RETURNING gives rows, a statement task a count", sql);
    }
  }

  private static boolean isBindableNumber(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Double
        || value instanceof Float
        || value instanceof BigDecimal;
  }

  /** The statement's SQL, as given. */
  public String sql() {
    return sql;
  }

  /** How many parameters the task binds. */
  public int parameterCount() {
    return parameters.length;
  }

  /**
   * Binds the parameters, in order, to a statement prepared from {@link #sql()}.
   *
   * @throws SQLException if the statement expects another number of parameters than the task has
   *     (SQLite would bind the missing ones as NULL without a word)
   */
  public void bind(PreparedStatement statement) throws SQLException {
    int expected = statement.getParameterMetaData().getParameterCount();
    if (expected != parameters.length) {
      throw wrongParameterCount(expected);
    }
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
  }

  /**
   * The error for a statement that expects {@code expected} parameters: the task is not one for
   * this SQL. Nothing of it ran.
   */
  public NotAStatementTaskException wrongParameterCount(int expected) {
    return new NotAStatementTaskException(
        "the statement has " + expected + " parameters, the task " + parameters.length, sql);
  }

  /** Runs the statement as ordinary work: prepared (and so cached by the executor), bound, run. */
  @Override
  public Integer run(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement);
      return statement.executeUpdate();
    }
  }

  /**
   * The same statement as work that returns the key of the row it inserted, for {@code
   * executor.insert(sql, parameters...)}. It runs as ordinary work under every strategy: a batch
   * does not tell which key each of its rows got.
   *
   * @throws NotAStatementTaskException if the statement is an upsert ({@code ON CONFLICT ... DO
   *     UPDATE}): when it updates, SQLite's last inserted rowid is another row's
   */
  public SqlWork<Long> returningKey() throws NotAStatementTaskException {
    if (DO_UPDATE.matcher(sql).find()) {
      throw new NotAStatementTaskException(
          "an upsert may update instead of insert, and then has no key of its own; use write()",
          sql);
    }
    return connection -> {
      try (PreparedStatement statement =
          connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        bind(statement);
        // Asked of the count, not of the keys: sqlite-jdbc's own reading, where it is on, would
        // report an earlier row's key for an INSERT that was ignored.
        int inserted = statement.executeUpdate();
        if (inserted != 1) {
          // Thrown from the work, so what it wrote is rolled back.
          throw new SQLException(
              "the statement inserted "
                  + inserted
                  + " rows; insert() returns the key of exactly one: "
                  + sql);
        }
        try (ResultSet keys = statement.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("the statement gave no key: " + sql);
          }
          return keys.getLong(1);
        }
      }
    };
  }

  @Override
  public String toString() {
    return "SqlStatement[" + sql + ", " + parameters.length + " parameters]";
  }
}
