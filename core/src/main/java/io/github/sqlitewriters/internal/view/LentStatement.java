package io.github.sqlitewriters.internal.view;

import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.internal.connection.StatementCache;
import io.github.sqlitewriters.internal.sql.ConnectionSteps;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared statement lent to one work from the {@link StatementCache}, as the work sees it: the
 * statement behind the same seal as the rest of the work's {@link SealedConnection}, handed back to
 * the cache by {@code close()} or by the seal.
 *
 * <p>Written out by hand rather than made by {@link java.lang.reflect.Proxy} like the work's other
 * JDBC objects, because it is the one object every task of a writer uses: a proxy call (an argument
 * array, boxed parameters, a reflective call) cost about 20 ns, four or five of them a task, a good
 * part of what the view cost a group-commit writer beside a bare one. Every call goes through the
 * same checks as a proxy call ({@link SealedConnection#checkOpen}, then {@link
 * SealedConnection#afterCall}), under the seal's monitor; every method of the interface, default
 * ones included, is overridden, so no call reaches the driver around the seal. The methods with
 * behaviour of their own come first; the pass-throughs JDBC's interface forces follow, apart.
 */
public final class LentStatement implements PreparedStatement {
  /** A call on the statement that returns something. */
  private interface Call<T> {
    T run() throws SQLException;
  }

  /** A call on the statement that returns nothing. */
  private interface VoidCall {
    void run() throws SQLException;
  }

  private final SealedConnection seal;
  private final StatementCache cache;
  private final StatementCache.Cached entry;
  private final PreparedStatement target;

  /** Prepared with RETURN_GENERATED_KEYS: every execution reads back its key. */
  private final boolean asksForKeys;

  /**
   * Whether the view read the key of the last execution (where the driver does not), and that key:
   * null if the execution inserted no row.
   */
  private boolean keysRead;

  private Long key;

  private boolean givenBack;

  /** False once the work changed a statement-wide setting, which would outlive it. */
  private boolean reusable = true;

  /** Result sets of the statement, closed when it goes back; made on the first. */
  private List<ResultSet> results;

  LentStatement(SealedConnection seal, StatementCache cache, StatementCache.Cached entry) {
    this.seal = seal;
    this.cache = cache;
    this.entry = entry;
    this.target = entry.statement();
    this.asksForKeys = entry.key().generatedKeys();
  }

  /**
   * Gives the statement back to the cache (closing what it left open), once; a statement that had a
   * statement-wide setting is closed instead. Called by {@code close()} and by the seal.
   */
  void giveBack() {
    if (givenBack) {
      return;
    }
    givenBack = true;
    if (results != null) {
      for (ResultSet result : results) {
        // The statement is reset when it runs again.
        ConnectionSteps.closeQuietly(result, null);
      }
      results = null;
    }
    cache.give(entry, reusable);
  }

  /** Refuses a call on a sealed view, after a transaction end, or on a statement given back. */
  private void enter() throws SQLException {
    seal.checkOpen(target);
    if (givenBack) {
      throw new SQLException("the statement is closed");
    }
  }

  /** Runs a checked call whose checks are done, and watches whether it ended the transaction. */
  private <T> T ran(Call<T> call) throws SQLException {
    T result;
    try {
      result = call.run();
    } catch (SQLException | RuntimeException | Error e) {
      seal.afterCall(e);
      throw e;
    }
    seal.afterCall(null);
    return result;
  }

  private <T> T call(Call<T> call) throws SQLException {
    synchronized (seal) {
      enter();
      return ran(call);
    }
  }

  private void run(VoidCall call) throws SQLException {
    call(
        () -> {
          call.run();
          return null;
        });
  }

  /** A statement-wide setting: the statement is closed at its give-back instead of kept. */
  private void setting(VoidCall call) throws SQLException {
    synchronized (seal) {
      enter();
      reusable = false;
      ran(
          () -> {
            call.run();
            return null;
          });
    }
  }

  /** An execution of the prepared SQL; where the statement asked for keys, reads them. */
  private <T> T executes(Call<T> call) throws SQLException {
    synchronized (seal) {
      enter();
      // A failed execution generated no key: never the previous one's.
      keysRead = false;
      T result = ran(call);
      if (asksForKeys) {
        readKey(entry.key().sql(), result);
      }
      return result;
    }
  }

  /** An execution of other SQL text, which the view reads first as it reads the connection's. */
  private <T> T executesSql(String sql, boolean asksForKeys, Call<T> call) throws SQLException {
    synchronized (seal) {
      enter();
      seal.read(SqlText.classify(sql));
      keysRead = false;
      T result = ran(call);
      if (asksForKeys) {
        readKey(sql, result);
      }
      return result;
    }
  }

  /** Reads the key an execution that asked for it generated, unless the driver reads it itself. */
  private void readKey(String sql, Object result) throws SQLException {
    if (seal.readsKeys()) {
      key = seal.keyOf(sql, target, result);
      keysRead = true;
    }
  }

  /**
   * A result set of the statement, closed when it goes back and kept inside the seal. Called under
   * the seal's monitor, held since the call that returned it, so the seal cannot come between.
   */
  private ResultSet results(ResultSet result) {
    if (result == null) {
      return null;
    }
    if (results == null) {
      results = new ArrayList<>(2);
    }
    results.add(result);
    return (ResultSet) seal.wrap(ResultSet.class, result);
  }

  /** Another JDBC object the statement leads to, kept inside the seal. */
  private <T> T jdbc(Class<T> type, Call<T> call) throws SQLException {
    synchronized (seal) {
      return type.cast(seal.wrap(type, call(call)));
    }
  }

  // The seal's own answers: closing, identity, unwrapping, the connection, generated keys.

  @Override
  public void close() throws SQLException {
    synchronized (seal) {
      // Sealed, or refused after a transaction end: try-with-resources closes after the refused
      // call; let it, the seal gives the statement back for real.
      if (seal.sealed() || seal.refused()) {
        return;
      }
      giveBack();
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    synchronized (seal) {
      if (seal.sealed()) {
        return true;
      }
      seal.checkOpen(target);
      if (givenBack) {
        return true;
      }
      return ran(target::isClosed);
    }
  }

  @Override
  public void cancel() throws SQLException {
    if (!seal.cancelUnlessSealed(target)) {
      // Sealed: refused like every other call.
      run(target::cancel);
    }
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    synchronized (seal) {
      enter();
      if (iface.isInstance(this)) {
        return iface.cast(this);
      }
      throw new TransactionControlException("unwrap(" + iface.getName() + ")");
    }
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    synchronized (seal) {
      enter();
      return iface.isInstance(this);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    synchronized (seal) {
      enter();
      return seal.connection();
    }
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    synchronized (seal) {
      enter();
      if (keysRead) {
        return seal.keyRows(key);
      }
      return results(ran(target::getGeneratedKeys));
    }
  }

  @Override
  public String toString() {
    // Not the driver's text: it prints the SQL and bound parameters of whoever holds the statement
    // now, which after the seal is another caller.
    return "work's view of a PreparedStatement lent by the " + seal.strategy() + " executor";
  }

  // Executions: SQL text read by the view first, the transaction watched after, keys read.

  @Override
  public boolean execute() throws SQLException {
    return executes(() -> target.execute());
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return executesSql(sql, false, () -> target.execute(sql));
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return executesSql(
        sql,
        JdbcViews.asksForKeys(autoGeneratedKeys),
        () -> target.execute(sql, autoGeneratedKeys));
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return executesSql(
        sql, JdbcViews.asksForKeys(columnIndexes), () -> target.execute(sql, columnIndexes));
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return executesSql(
        sql, JdbcViews.asksForKeys(columnNames), () -> target.execute(sql, columnNames));
  }

  @Override
  public int executeUpdate() throws SQLException {
    // The common execution of a work's INSERT, written out: no lambda between it and the driver.
    synchronized (seal) {
      enter();
      keysRead = false;
      int count;
      try {
        count = target.executeUpdate();
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
      if (asksForKeys) {
        readKey(entry.key().sql(), count);
      }
      return count;
    }
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return executesSql(sql, false, () -> target.executeUpdate(sql));
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return executesSql(
        sql,
        JdbcViews.asksForKeys(autoGeneratedKeys),
        () -> target.executeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return executesSql(
        sql, JdbcViews.asksForKeys(columnIndexes), () -> target.executeUpdate(sql, columnIndexes));
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return executesSql(
        sql, JdbcViews.asksForKeys(columnNames), () -> target.executeUpdate(sql, columnNames));
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return executes(() -> target.executeBatch());
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    synchronized (seal) {
      return results(executes(() -> target.executeQuery()));
    }
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    synchronized (seal) {
      return results(executesSql(sql, false, () -> target.executeQuery(sql)));
    }
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    synchronized (seal) {
      return results(call(() -> target.getResultSet()));
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return executes(() -> target.executeLargeUpdate());
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return executesSql(sql, false, () -> target.executeLargeUpdate(sql));
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return executesSql(
        sql,
        JdbcViews.asksForKeys(autoGeneratedKeys),
        () -> target.executeLargeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return executesSql(
        sql,
        JdbcViews.asksForKeys(columnIndexes),
        () -> target.executeLargeUpdate(sql, columnIndexes));
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    return executesSql(
        sql, JdbcViews.asksForKeys(columnNames), () -> target.executeLargeUpdate(sql, columnNames));
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return executes(() -> target.executeLargeBatch());
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    executesSql(
        sql,
        false,
        () -> {
          target.addBatch(sql);
          return null;
        });
  }

  // The parameters every task sets, written out: no lambda between them and the driver.

  @Override
  public void setBytes(int index, byte[] value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setBytes(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setDouble(int index, double value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setDouble(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setInt(int index, int value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setInt(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setLong(int index, long value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setLong(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setNull(int index, int sqlType) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setNull(index, sqlType);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setObject(int index, Object value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setObject(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  @Override
  public void setString(int index, String value) throws SQLException {
    synchronized (seal) {
      enter();
      try {
        target.setString(index, value);
      } catch (SQLException | RuntimeException | Error e) {
        seal.afterCall(e);
        throw e;
      }
      seal.afterCall(null);
    }
  }

  // Pass-throughs: the rest of JDBC's interface, under the same checks. A statement-wide setting
  // marks the statement to be closed at its give-back instead of kept.

  @Override
  public void addBatch() throws SQLException {
    run(() -> target.addBatch());
  }

  @Override
  public void clearBatch() throws SQLException {
    run(() -> target.clearBatch());
  }

  @Override
  public void clearParameters() throws SQLException {
    run(() -> target.clearParameters());
  }

  @Override
  public void clearWarnings() throws SQLException {
    run(() -> target.clearWarnings());
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    setting(() -> target.closeOnCompletion());
  }

  @Override
  public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
    return call(() -> target.enquoteIdentifier(identifier, alwaysQuote));
  }

  @Override
  public String enquoteLiteral(String value) throws SQLException {
    return call(() -> target.enquoteLiteral(value));
  }

  @Override
  public String enquoteNCharLiteral(String value) throws SQLException {
    return call(() -> target.enquoteNCharLiteral(value));
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return call(() -> target.getFetchDirection());
  }

  @Override
  public int getFetchSize() throws SQLException {
    return call(() -> target.getFetchSize());
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return call(() -> target.getLargeMaxRows());
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return call(() -> target.getLargeUpdateCount());
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return call(() -> target.getMaxFieldSize());
  }

  @Override
  public int getMaxRows() throws SQLException {
    return call(() -> target.getMaxRows());
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return jdbc(ResultSetMetaData.class, () -> target.getMetaData());
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return call(() -> target.getMoreResults());
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return call(() -> target.getMoreResults(current));
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return jdbc(ParameterMetaData.class, () -> target.getParameterMetaData());
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return call(() -> target.getQueryTimeout());
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return call(() -> target.getResultSetConcurrency());
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return call(() -> target.getResultSetHoldability());
  }

  @Override
  public int getResultSetType() throws SQLException {
    return call(() -> target.getResultSetType());
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return call(() -> target.getUpdateCount());
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return call(() -> target.getWarnings());
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return call(() -> target.isCloseOnCompletion());
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return call(() -> target.isPoolable());
  }

  @Override
  public boolean isSimpleIdentifier(String value) throws SQLException {
    return call(() -> target.isSimpleIdentifier(value));
  }

  @Override
  public void setArray(int index, Array value) throws SQLException {
    run(() -> target.setArray(index, value));
  }

  @Override
  public void setAsciiStream(int index, InputStream value) throws SQLException {
    run(() -> target.setAsciiStream(index, value));
  }

  @Override
  public void setAsciiStream(int index, InputStream value, int length) throws SQLException {
    run(() -> target.setAsciiStream(index, value, length));
  }

  @Override
  public void setAsciiStream(int index, InputStream value, long length) throws SQLException {
    run(() -> target.setAsciiStream(index, value, length));
  }

  @Override
  public void setBigDecimal(int index, BigDecimal value) throws SQLException {
    run(() -> target.setBigDecimal(index, value));
  }

  @Override
  public void setBinaryStream(int index, InputStream value) throws SQLException {
    run(() -> target.setBinaryStream(index, value));
  }

  @Override
  public void setBinaryStream(int index, InputStream value, int length) throws SQLException {
    run(() -> target.setBinaryStream(index, value, length));
  }

  @Override
  public void setBinaryStream(int index, InputStream value, long length) throws SQLException {
    run(() -> target.setBinaryStream(index, value, length));
  }

  @Override
  public void setBlob(int index, Blob value) throws SQLException {
    run(() -> target.setBlob(index, value));
  }

  @Override
  public void setBlob(int index, InputStream value) throws SQLException {
    run(() -> target.setBlob(index, value));
  }

  @Override
  public void setBlob(int index, InputStream value, long length) throws SQLException {
    run(() -> target.setBlob(index, value, length));
  }

  @Override
  public void setBoolean(int index, boolean value) throws SQLException {
    run(() -> target.setBoolean(index, value));
  }

  @Override
  public void setByte(int index, byte value) throws SQLException {
    run(() -> target.setByte(index, value));
  }

  @Override
  public void setCharacterStream(int index, Reader value) throws SQLException {
    run(() -> target.setCharacterStream(index, value));
  }

  @Override
  public void setCharacterStream(int index, Reader value, int length) throws SQLException {
    run(() -> target.setCharacterStream(index, value, length));
  }

  @Override
  public void setCharacterStream(int index, Reader value, long length) throws SQLException {
    run(() -> target.setCharacterStream(index, value, length));
  }

  @Override
  public void setClob(int index, Clob value) throws SQLException {
    run(() -> target.setClob(index, value));
  }

  @Override
  public void setClob(int index, Reader value) throws SQLException {
    run(() -> target.setClob(index, value));
  }

  @Override
  public void setClob(int index, Reader value, long length) throws SQLException {
    run(() -> target.setClob(index, value, length));
  }

  @Override
  public void setCursorName(String value) throws SQLException {
    setting(() -> target.setCursorName(value));
  }

  @Override
  public void setDate(int index, Date value) throws SQLException {
    run(() -> target.setDate(index, value));
  }

  @Override
  public void setDate(int index, Date value, Calendar calendar) throws SQLException {
    run(() -> target.setDate(index, value, calendar));
  }

  @Override
  public void setEscapeProcessing(boolean value) throws SQLException {
    setting(() -> target.setEscapeProcessing(value));
  }

  @Override
  public void setFetchDirection(int value) throws SQLException {
    setting(() -> target.setFetchDirection(value));
  }

  @Override
  public void setFetchSize(int value) throws SQLException {
    setting(() -> target.setFetchSize(value));
  }

  @Override
  public void setFloat(int index, float value) throws SQLException {
    run(() -> target.setFloat(index, value));
  }

  @Override
  public void setLargeMaxRows(long value) throws SQLException {
    setting(() -> target.setLargeMaxRows(value));
  }

  @Override
  public void setMaxFieldSize(int value) throws SQLException {
    setting(() -> target.setMaxFieldSize(value));
  }

  @Override
  public void setMaxRows(int value) throws SQLException {
    setting(() -> target.setMaxRows(value));
  }

  @Override
  public void setNCharacterStream(int index, Reader value) throws SQLException {
    run(() -> target.setNCharacterStream(index, value));
  }

  @Override
  public void setNCharacterStream(int index, Reader value, long length) throws SQLException {
    run(() -> target.setNCharacterStream(index, value, length));
  }

  @Override
  public void setNClob(int index, NClob value) throws SQLException {
    run(() -> target.setNClob(index, value));
  }

  @Override
  public void setNClob(int index, Reader value) throws SQLException {
    run(() -> target.setNClob(index, value));
  }

  @Override
  public void setNClob(int index, Reader value, long length) throws SQLException {
    run(() -> target.setNClob(index, value, length));
  }

  @Override
  public void setNString(int index, String value) throws SQLException {
    run(() -> target.setNString(index, value));
  }

  @Override
  public void setNull(int index, int sqlType, String typeName) throws SQLException {
    run(() -> target.setNull(index, sqlType, typeName));
  }

  @Override
  public void setObject(int index, Object value, SQLType targetType) throws SQLException {
    run(() -> target.setObject(index, value, targetType));
  }

  @Override
  public void setObject(int index, Object value, SQLType targetType, int scaleOrLength)
      throws SQLException {
    run(() -> target.setObject(index, value, targetType, scaleOrLength));
  }

  @Override
  public void setObject(int index, Object value, int targetType) throws SQLException {
    run(() -> target.setObject(index, value, targetType));
  }

  @Override
  public void setObject(int index, Object value, int targetType, int scaleOrLength)
      throws SQLException {
    run(() -> target.setObject(index, value, targetType, scaleOrLength));
  }

  @Override
  public void setPoolable(boolean value) throws SQLException {
    setting(() -> target.setPoolable(value));
  }

  @Override
  public void setQueryTimeout(int value) throws SQLException {
    setting(() -> target.setQueryTimeout(value));
  }

  @Override
  public void setRef(int index, Ref value) throws SQLException {
    run(() -> target.setRef(index, value));
  }

  @Override
  public void setRowId(int index, RowId value) throws SQLException {
    run(() -> target.setRowId(index, value));
  }

  @Override
  public void setSQLXML(int index, SQLXML value) throws SQLException {
    run(() -> target.setSQLXML(index, value));
  }

  @Override
  public void setShort(int index, short value) throws SQLException {
    run(() -> target.setShort(index, value));
  }

  @Override
  public void setTime(int index, Time value) throws SQLException {
    run(() -> target.setTime(index, value));
  }

  @Override
  public void setTime(int index, Time value, Calendar calendar) throws SQLException {
    run(() -> target.setTime(index, value, calendar));
  }

  @Override
  public void setTimestamp(int index, Timestamp value) throws SQLException {
    run(() -> target.setTimestamp(index, value));
  }

  @Override
  public void setTimestamp(int index, Timestamp value, Calendar calendar) throws SQLException {
    run(() -> target.setTimestamp(index, value, calendar));
  }

  @Override
  public void setURL(int index, URL value) throws SQLException {
    run(() -> target.setURL(index, value));
  }

  @Override
  @Deprecated
  @SuppressWarnings("deprecation") // delegated as the interface still has it
  public void setUnicodeStream(int index, InputStream value, int length) throws SQLException {
    run(() -> target.setUnicodeStream(index, value, length));
  }
}
