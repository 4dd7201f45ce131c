package io.github.sqlitewriters.internal.view;

import io.github.sqlitewriters.ConnectionOutsideWorkException;
import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.internal.connection.GeneratedKeys;
import io.github.sqlitewriters.internal.connection.StatementCache;
import io.github.sqlitewriters.internal.connection.TransactionWatch;
import io.github.sqlitewriters.internal.connection.WriteConnection;
import io.github.sqlitewriters.internal.sql.SqlText;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection one work sees, valid only while that work runs: a view of the executor's
 * connection minus every way of ending its transaction, changing its settings or reaching the raw
 * connection, the way a pool hands out a proxy per borrow.
 *
 * <p>Every JDBC object obtained through the view (statements, result sets, metadata, and what they
 * lead to) is a view of its own under the same seal, and every route back to a connection ({@code
 * getConnection()}, {@code unwrap}) ends at this view. {@link #seal()} ends it when the work
 * returns: statements the work forgot are closed, and any later call on anything obtained from it
 * throws {@link ConnectionOutsideWorkException} before it reaches SQLite. Calls and sealing are
 * serialized on the view, so a call from a thread the work handed the view to either finishes
 * before the seal or never starts.
 *
 * <p>The views are proxies, except the prepared statement a work borrows from the {@link
 * StatementCache}: every task of a writer uses one, so it is a class written out ({@link
 * LentStatement}) that makes the same checks through {@link #checkOpen} and {@link #afterCall}.
 *
 * <p>What the work did beyond its rows (ended the transaction, used savepoints, changed the
 * connection's state) is read by {@link WorkEffects} after each call; generated keys a work asks
 * for are read by the connection's {@link GeneratedKeys}. This class holds the seal itself: the
 * views, the calls through them, and what they opened.
 */
public final class SealedConnection {
  private final String strategy;
  private final Connection raw;
  private final StatementCache cache;
  private final WorkEffects effects;
  private final Connection view;

  /** The connection's reading of generated keys; made on first use where the view owns it. */
  private GeneratedKeys keys;

  private final boolean ownsKeys;

  /** Statements and result sets handed to the work, closed at the seal if it forgot them. */
  private final List<AutoCloseable> opened = new ArrayList<>();

  private volatile boolean sealed;

  /**
   * Calls of cancel() running now, outside the monitor; the seal waits for them to end. A field
   * with a VarHandle, not an AtomicInteger: a view is made per task, and this saves an object.
   */
  @SuppressWarnings("unused") // read and written through CANCELLING
  private volatile int cancelling;

  private static final VarHandle CANCELLING;

  static {
    try {
      CANCELLING =
          MethodHandles.lookup().findVarHandle(SealedConnection.class, "cancelling", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private SealedConnection(
      String strategy,
      Connection raw,
      TransactionWatch watch,
      StatementCache cache,
      GeneratedKeys keys) {
    this.strategy = strategy;
    this.raw = raw;
    this.cache = cache;
    this.keys = keys;
    this.ownsKeys = keys == null;
    this.effects = new WorkEffects(raw, watch);
    this.view = (Connection) proxy(Connection.class, raw);
  }

  /**
   * A work's view of an executor's write connection: its transaction watched, its prepared
   * statements lent, its generated keys read on request.
   */
  public static SealedConnection of(String strategy, WriteConnection writer) {
    return new SealedConnection(
        strategy, writer.connection, writer.watch, writer.statements, writer.keys);
  }

  /**
   * A view of a connection with no statement cache of its own (a reader, a comparison strategy's).
   *
   * @param watch the hooks of a transaction the view must watch; null for none
   */
  public static SealedConnection of(String strategy, Connection raw, TransactionWatch watch) {
    return new SealedConnection(strategy, raw, watch, null, null);
  }

  /** The view to hand to the work. */
  public Connection connection() {
    return view;
  }

  /** Ends the view: closes what the work left open and refuses every later call. */
  public synchronized void seal() {
    if (sealed) {
      return;
    }
    sealed = true;
    // A cancel that passed its check before the line above is still running: it interrupts the
    // whole connection, so it must be over before anything of the executor's or of the next
    // caller's runs. Counting in before the check and sealing before this look, one of the two
    // sees the other. A cancel is one native flag set: this waits microseconds.
    while ((int) CANCELLING.getVolatile(this) != 0) {
      Thread.onSpinWait();
    }
    effects.stopWatching();
    // Newest first: result sets before the statements they came from.
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        AutoCloseable forgotten = opened.get(i);
        if (forgotten instanceof LentStatement) {
          // Its own close() is refused now: give it back to the cache directly.
          ((LentStatement) forgotten).giveBack();
        } else {
          forgotten.close();
        }
      } catch (Exception ignored) {
        // Closing what the work forgot; what cannot close now is closed with its connection.
      }
    }
    opened.clear();
    if (ownsKeys && keys != null) {
      keys.close();
    }
  }

  /**
   * The executor reads what the work did only once the view is sealed: no call can change it then,
   * and the volatile {@link #sealed}, written after the last call left the monitor, makes it
   * visible. Reading without the monitor saves four monitor entries a task on the writer.
   */
  private WorkEffects sealedEffects() {
    if (!sealed) {
      throw new IllegalStateException("the work's view is read before it is sealed");
    }
    return effects;
  }

  /** How the executor's transaction fared; {@code NONE} while it is open and whole. */
  public TransactionWatch.Ending ending() {
    return sealedEffects().ending();
  }

  /**
   * The error for the work's caller when the work itself ended the transaction, with the truth
   * about its own writes; null otherwise.
   */
  public TransactionControlException refusedTransactionEnd() {
    return sealedEffects().refusedTransactionEnd();
  }

  /** The error after which SQLite rolled the transaction back itself, when that is how it ended. */
  public Throwable sqliteError() {
    return sealedEffects().sqliteError();
  }

  /**
   * True if the work ran SQL that may have changed the connection's state (a PRAGMA, DDL, several
   * statements in one string), so the executor must not trust the connection again: it replaces it
   * before the next transaction. Checking every PRAGMA SQLite has is not possible; replacing is.
   */
  public boolean changedState() {
    return sealedEffects().changedState();
  }

  /**
   * True if the work ran SAVEPOINT, RELEASE or ROLLBACK TO. Without a savepoint of the executor's
   * around the work, a savepoint it leaves open could be rolled back to by a later task of the same
   * transaction, undoing the tasks between them.
   */
  public boolean usedSavepoints() {
    return sealedEffects().usedSavepoints();
  }

  private Object proxy(Class<?> type, Object target) {
    return JdbcViews.proxy(type, new Handler(target));
  }

  /** Runs one call for the work, inside the seal. */
  private synchronized Object call(Object proxy, Handler handler, ViewCall call, Object[] args)
      throws Throwable {
    Object answer = answerInsideTheView(proxy, handler, call, args);
    if (answer != NOT_ANSWERED) {
      return answer;
    }
    Object target = handler.target;
    boolean prepares = call.role == ViewCall.Role.PREPARE_STATEMENT;
    if (target == raw && prepares && cache != null && cacheable(args)) {
      return lend(call.method, args);
    }
    if (call.runsSql && args != null && args[0] instanceof String) {
      read(SqlText.classify((String) args[0]));
    }
    if (call.executes) {
      // A failed execution generated no key: never the previous one's.
      handler.keysRead = false;
    }
    Object result;
    try {
      result = call.method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable error = e.getCause();
      afterCall(error);
      throw error;
    }
    afterCall(null);
    return keptInsideTheView(handler, call, args, prepares, result);
  }

  /** Refuses every call once the view is sealed, and every call after a transaction end. */
  void checkOpen(Object target) throws SQLException {
    if (sealed) {
      throw new ConnectionOutsideWorkException(strategy, describe(target));
    }
    SQLException refusal = effects.refusal();
    if (refusal != null) {
      throw refusal;
    }
  }

  /** Reads what a call did to the transaction; throws if it ended it. */
  void afterCall(Throwable callError) throws SQLException {
    effects.afterCall(callError);
  }

  /** Notes what a statement of the work may do beyond its rows. */
  void read(SqlText.Kind kind) {
    effects.read(kind);
  }

  /**
   * Runs a statement's {@code cancel()} for the work, outside the monitor (it must reach a
   * statement that holds it), unless the view is sealed: sqlite-jdbc's cancel interrupts the whole
   * connection, which after the seal runs other callers' work and the executor's COMMIT.
   *
   * @return false if the view is sealed and the caller must refuse the call
   */
  boolean cancelUnlessSealed(Statement statement) throws SQLException {
    CANCELLING.getAndAdd(this, 1);
    try {
      if (sealed) {
        return false;
      }
      statement.cancel();
      return true;
    } finally {
      CANCELLING.getAndAdd(this, -1);
    }
  }

  /** The executor's strategy name, for messages. */
  String strategy() {
    return strategy;
  }

  /** Whether the work has returned. */
  boolean sealed() {
    return sealed;
  }

  /** Whether a transaction end refuses every further call; read under the view's monitor. */
  boolean refused() {
    return effects.refusal() != null;
  }

  /**
   * The calls the view answers, or refuses, without reaching the driver; {@link #NOT_ANSWERED} for
   * the rest.
   */
  private Object answerInsideTheView(Object proxy, Handler handler, ViewCall call, Object[] args)
      throws SQLException {
    if (sealed && call.role == ViewCall.Role.IS_CLOSED) {
      return true;
    }
    if ((sealed || effects.refusal() != null) && call.role == ViewCall.Role.CLOSE) {
      // try-with-resources closes after the refused call: let it, the seal closes for real.
      return null;
    }
    checkOpen(handler.target);
    switch (call.role) {
      case UNWRAP:
        if (((Class<?>) args[0]).isInstance(proxy)) {
          return proxy;
        }
        throw new TransactionControlException("unwrap(" + ((Class<?>) args[0]).getName() + ")");
      case IS_WRAPPER_FOR:
        return ((Class<?>) args[0]).isInstance(proxy);
      case GET_CONNECTION:
        return view;
      case GET_GENERATED_KEYS:
        if (handler.keysRead) {
          return keyRows(handler.key);
        }
        break;
      default:
        break;
    }
    if (handler.target == raw && call.refusedOnConnection) {
      throw new TransactionControlException("Connection." + call.name + "()");
    }
    return NOT_ANSWERED;
  }

  /** What a call that reached the driver returns to the work: kept inside the seal. */
  private Object keptInsideTheView(
      Handler handler, ViewCall call, Object[] args, boolean prepares, Object result)
      throws SQLException {
    boolean asksForKeys =
        (prepares || call.executes)
            && args != null
            && args.length == 2
            && JdbcViews.asksForKeys(args[1]);
    if (prepares && asksForKeys) {
      return wrapAskingForKeys(result, (String) args[0]);
    }
    if (call.executes) {
      String askedBy =
          asksForKeys
              ? (String) args[0]
              : args == null || args.length == 0 ? handler.preparedSql : null;
      if (askedBy != null && readsKeys()) {
        handler.readKey(askedBy, result);
      }
    }
    return call.wrapsResult ? wrap(call.method.getReturnType(), result) : result;
  }

  /** Marks "not answered here" for {@link #answerInsideTheView}. */
  private static final Object NOT_ANSWERED = new Object();

  /** Only the plain forms are cached: the SQL alone, or with RETURN_GENERATED_KEYS. */
  private static boolean cacheable(Object[] args) {
    return args.length == 1
        || (args.length == 2
            && args[1] instanceof Integer
            && (Integer) args[1] == Statement.RETURN_GENERATED_KEYS);
  }

  /**
   * Lends a prepared statement from the cache, or prepares one that will go back to it. A statement
   * found in the cache keeps what its SQL was read as when first prepared: the same text reads the
   * same.
   */
  private Object lend(Method prepare, Object[] args) throws Throwable {
    String sql = (String) args[0];
    StatementCache.Key key = StatementCache.Key.work(sql, args.length == 2);
    StatementCache.Cached entry = cache.take(key);
    if (entry != null) {
      read(entry.kind());
    } else {
      SqlText.Kind kind = SqlText.classify(sql);
      read(kind);
      PreparedStatement statement;
      try {
        statement = (PreparedStatement) prepare.invoke(raw, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      entry = cache.keep(key, statement, kind);
    }
    LentStatement lent = new LentStatement(this, cache, entry);
    opened.add(lent);
    return lent;
  }

  /** A prepared statement whose every execution reads back its generated key. */
  private Object wrapAskingForKeys(Object statement, String sql) {
    opened.add((AutoCloseable) statement);
    Handler handler = new Handler(statement);
    handler.preparedSql = sql;
    return JdbcViews.proxy(PreparedStatement.class, handler);
  }

  private GeneratedKeys keys() {
    if (keys == null) {
      keys = new GeneratedKeys(raw);
    }
    return keys;
  }

  /**
   * True where the view reads generated keys itself; false where sqlite-jdbc reads them after every
   * INSERT ({@code SqliteSettings.GeneratedKeys.AFTER_EVERY_INSERT}) and its own getGeneratedKeys()
   * answers.
   */
  boolean readsKeys() throws SQLException {
    return !keys().driverReads();
  }

  /** The key an execution of {@code sql} just generated, read before anything else runs. */
  Long keyOf(String sql, Statement statement, Object result) throws SQLException {
    return keys().keyOf(sql, statement, result);
  }

  /** A key read earlier (or none), as the work's view of a result set. */
  ResultSet keyRows(Long key) throws SQLException {
    return (ResultSet) wrap(ResultSet.class, keys().rows(key));
  }

  /** Keeps what a call returns inside the seal. */
  Object wrap(Class<?> declared, Object result) {
    if (result == null || !JdbcViews.isJdbcInterface(declared)) {
      return result;
    }
    if (declared == Connection.class) {
      return view;
    }
    // By the declared type, not the object's: sqlite-jdbc's statement is its own
    // ParameterMetaData, and a lent statement asked for it must not be closed at the seal.
    if (Statement.class.isAssignableFrom(declared) || ResultSet.class.isAssignableFrom(declared)) {
      opened.add((AutoCloseable) result);
    }
    return proxy(declared, result);
  }

  private static String describe(Object target) {
    for (Class<?> type : new Class<?>[] {Connection.class, Statement.class}) {
      if (type.isInstance(target)) {
        return "a " + type.getSimpleName();
      }
    }
    Class<?>[] interfaces = target.getClass().getInterfaces();
    return "a " + (interfaces.length > 0 ? interfaces[0].getSimpleName() : "JDBC object");
  }

  private final class Handler implements InvocationHandler {
    private final Object target;

    /** The SQL of a prepared statement that asked for generated keys when it was prepared. */
    private String preparedSql;

    /** Whether the view read this statement's keys, and the key its last execution generated. */
    private boolean keysRead;

    private Long key;

    Handler(Object target) {
      this.target = target;
    }

    void readKey(String sql, Object result) throws SQLException {
      key = keyOf(sql, (Statement) target, result);
      keysRead = true;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (JdbcViews.isObjectMethod(method)) {
        // Not the driver's text: read outside the monitor, it could show another caller's SQL
        // and parameters once the view is sealed.
        return JdbcViews.objectMethod(
            proxy,
            method,
            args,
            () -> "work's view of " + describe(target) + " of the " + strategy + " executor");
      }
      ViewCall call = ViewCall.of(method);
      if (call.role == ViewCall.Role.CANCEL
          && target instanceof Statement
          && cancelUnlessSealed((Statement) target)) {
        return null;
      }
      return call(proxy, this, call, args);
    }
  }
}
