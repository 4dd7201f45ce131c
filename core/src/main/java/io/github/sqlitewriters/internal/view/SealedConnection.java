package io.github.sqlitewriters.internal.view;

import io.github.sqlitewriters.ConnectionOutsideWorkException;
import io.github.sqlitewriters.TransactionControlException;
import io.github.sqlitewriters.internal.connection.StatementCache;
import io.github.sqlitewriters.internal.connection.TransactionWatch;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>After each call the view asks the {@link TransactionWatch} whether the call ended the
 * executor's transaction. If it did, the view refuses everything from then on, so that nothing the
 * work does afterwards runs outside the transaction, and the executor learns how it ended.
 */
public final class SealedConnection {
  private static final Set<String> SQL_CALLS =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "addBatch",
          "prepareStatement",
          "prepareCall");
  private static final Set<String> REFUSED_CONNECTION_CALLS =
      Set.of("commit", "rollback", "close", "abort", "releaseSavepoint");

  private final String strategy;
  private final Connection raw;
  private final TransactionWatch watch;
  private final StatementCache cache;
  private final Connection view;

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

  private boolean changedState;
  private boolean usedSavepoints;
  private TransactionWatch.Ending ending = TransactionWatch.Ending.NONE;
  private boolean workCommittedSomething;
  private SQLException refusal;
  private Throwable sqliteError;
  private Boolean driverReadsKeys;

  /**
   * @param watch the hooks of the executor's transaction, armed here; null where the executor does
   *     not own a transaction the view must watch (reads, the comparison strategies)
   * @param cache where prepared statements are lent from and given back to; null for none
   */
  public SealedConnection(
      String strategy, Connection raw, TransactionWatch watch, StatementCache cache) {
    this.strategy = strategy;
    this.raw = raw;
    this.watch = watch;
    this.cache = cache;
    this.view = (Connection) proxy(Connection.class, raw);
    if (watch != null) {
      watch.arm();
    }
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
    if (watch != null) {
      watch.disarm();
    }
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
  }

  /** How the executor's transaction fared; {@code NONE} while it is open and whole. */
  public TransactionWatch.Ending ending() {
    requireSealed();
    return ending;
  }

  /**
   * The executor reads what the work did only once the view is sealed: no call can change it then,
   * and the volatile {@link #sealed}, written after the last call left the monitor, makes it
   * visible. Reading without the monitor saves four monitor entries a task on the writer.
   */
  private void requireSealed() {
    if (!sealed) {
      throw new IllegalStateException("the work's view is read before it is sealed");
    }
  }

  /**
   * The error for the work's caller when the work itself ended the transaction, with the truth
   * about its own writes; null otherwise.
   */
  public TransactionControlException refusedTransactionEnd() {
    requireSealed();
    return refusal();
  }

  private TransactionControlException refusal() {
    if (ending == TransactionWatch.Ending.NONE
        || ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      return null;
    }
    return new TransactionControlException(
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK
            ? "ending the executor's transaction with a commit"
            : "rolling back the executor's transaction",
        ending == TransactionWatch.Ending.UNCLEAR
            ? TransactionControlException.Outcome.UNKNOWN
            : workCommittedSomething
                ? TransactionControlException.Outcome.COMMITTED_BY_WORK
                : TransactionControlException.Outcome.NOT_COMMITTED);
  }

  /** The error after which SQLite rolled the transaction back itself, when that is how it ended. */
  public Throwable sqliteError() {
    requireSealed();
    return sqliteError;
  }

  /**
   * True if the work ran SQL that may have changed the connection's state (a PRAGMA, DDL, several
   * statements in one string), so the executor must not trust the connection again: it replaces it
   * before the next transaction. Checking every PRAGMA SQLite has is not possible; replacing is.
   */
  public boolean changedState() {
    requireSealed();
    return changedState;
  }

  private Object proxy(Class<?> type, Object target) {
    return JdbcViews.proxy(type, new Handler(target));
  }

  /**
   * True if the work ran SAVEPOINT, RELEASE or ROLLBACK TO. Without a savepoint of the executor's
   * around the work, a savepoint it leaves open could be rolled back to by a later task of the same
   * transaction, undoing the tasks between them.
   */
  public boolean usedSavepoints() {
    requireSealed();
    return usedSavepoints;
  }

  /** Runs one call for the work, inside the seal. */
  private synchronized Object call(Object proxy, Handler handler, Call call, Object[] args)
      throws Throwable {
    Object answer = answerInsideTheView(proxy, handler, call, args);
    if (answer != NOT_ANSWERED) {
      return answer;
    }
    Object target = handler.target;
    boolean prepares = call.role == Role.PREPARE_STATEMENT;
    if (target == raw && prepares && cache != null && cacheable(args)) {
      return lend(call.method, args);
    }
    if (call.runsSql && args != null && args[0] instanceof String) {
      read(SqlText.classify((String) args[0]));
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
    if (refusal != null) {
      throw refusal;
    }
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
    return refusal != null;
  }

  /**
   * The calls the view answers, or refuses, without reaching the driver; {@link #NOT_ANSWERED} for
   * the rest.
   */
  private Object answerInsideTheView(Object proxy, Handler handler, Call call, Object[] args)
      throws SQLException {
    if (sealed && call.role == Role.IS_CLOSED) {
      return true;
    }
    if ((sealed || refusal != null) && call.role == Role.CLOSE) {
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
        if (handler.keys != null) {
          return wrap(ResultSet.class, handler.keys);
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
      Handler handler, Call call, Object[] args, boolean prepares, Object result)
      throws SQLException {
    boolean asksForKeys =
        (prepares || call.executes)
            && args != null
            && args.length == 2
            && JdbcViews.asksForKeys(args[1]);
    if (prepares && asksForKeys) {
      return wrapAskingForKeys(result);
    }
    if (call.executes
        && (asksForKeys || (handler.asksForKeys && (args == null || args.length == 0)))
        && !driverReadsKeys()) {
      handler.keys = lastInsertRowid();
    }
    return call.wrapsResult ? wrap(call.method.getReturnType(), result) : result;
  }

  /**
   * What the view needs to know of one JDBC method, worked out once per method: a work's task makes
   * about five calls, and reading the method's name and return type afresh on each was a good part
   * of what the view cost.
   */
  private static final class Call {
    /**
     * Keyed by identity: a proxy class passes the same Method object on every call, and an identity
     * lookup is a fraction of Method.hashCode() and equals(). Copied on write; only the first call
     * of each method writes.
     */
    private static volatile Map<Method, Call> known = new IdentityHashMap<>();

    final Method method;
    final String name;

    /** What the view does with the call itself, if anything. */
    final Role role;

    /** SQL text in the first argument, read by {@link SqlText} before it runs. */
    final boolean runsSql;

    /** Refused on the connection: it would end the transaction or change a setting. */
    final boolean refusedOnConnection;

    /** An execution, after which a statement that asked for keys reads them. */
    final boolean executes;

    /** Returns a JDBC object, which must be kept inside the seal. */
    final boolean wrapsResult;

    private Call(Method method) {
      this.method = method;
      this.name = method.getName();
      this.role = Role.of(name);
      this.runsSql = SQL_CALLS.contains(name);
      this.refusedOnConnection = REFUSED_CONNECTION_CALLS.contains(name) || name.startsWith("set");
      this.executes = name.startsWith("execute");
      Class<?> returned = method.getReturnType();
      this.wrapsResult = JdbcViews.isJdbcInterface(returned);
    }

    static Call of(Method method) {
      Call found = known.get(method);
      return found != null ? found : learn(method);
    }

    private static synchronized Call learn(Method method) {
      Call found = known.get(method);
      if (found == null) {
        found = new Call(method);
        Map<Method, Call> more = new IdentityHashMap<>(known);
        more.put(method, found);
        known = more;
      }
      return found;
    }
  }

  /**
   * The methods the view answers or watches itself, told apart once per method: comparing the name
   * against each on every call cost more than the rest of the view's bookkeeping.
   */
  private enum Role {
    CLOSE,
    IS_CLOSED,
    UNWRAP,
    IS_WRAPPER_FOR,
    GET_CONNECTION,
    GET_GENERATED_KEYS,
    PREPARE_STATEMENT,
    CANCEL,
    OTHER;

    static Role of(String methodName) {
      switch (methodName) {
        case "close":
          return CLOSE;
        case "isClosed":
          return IS_CLOSED;
        case "unwrap":
          return UNWRAP;
        case "isWrapperFor":
          return IS_WRAPPER_FOR;
        case "getConnection":
          return GET_CONNECTION;
        case "getGeneratedKeys":
          return GET_GENERATED_KEYS;
        case "prepareStatement":
          return PREPARE_STATEMENT;
        case "cancel":
          return CANCEL;
        default:
          return OTHER;
      }
    }
  }

  /** Reads the watch after a call; if the call ended the transaction, nothing more may run. */
  void afterCall(Throwable callError) throws SQLException {
    if (watch == null || !watch.fired()) {
      return;
    }
    ending = watch.ending(callError);
    if (ending == TransactionWatch.Ending.NONE) {
      // A commit hook, then a busy error: either SQLite refused the COMMIT as busy and the
      // transaction is still the executor's, or the COMMIT went through and a later statement of
      // the call met a lock. Only the second leaves no transaction open.
      if (transactionOpen()) {
        watch.arm();
        throw new TransactionControlException("the statement COMMIT");
      }
      ending = TransactionWatch.Ending.COMMITTED_BY_WORK;
    }
    workCommittedSomething =
        ending == TransactionWatch.Ending.COMMITTED_BY_WORK || watch.committedAfterRollback();
    watch.disarm();
    if (ending == TransactionWatch.Ending.ROLLED_BACK_BY_SQLITE) {
      sqliteError = callError;
      refusal =
          new SQLException(
              "SQLite rolled back the transaction after: " + callError.getMessage(), callError);
      return;
    }
    refusal = refusal();
    if (callError != null) {
      refusal.addSuppressed(callError);
    }
    throw refusal;
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
    boolean keys = args.length == 2;
    StatementCache.Key key = new StatementCache.Key(sql, keys);
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

  /** Notes what a statement of the work may do beyond its rows. */
  void read(SqlText.Kind kind) {
    usedSavepoints |= kind == SqlText.Kind.SAVEPOINT;
    changedState |= kind == SqlText.Kind.OTHER;
  }

  /** A prepared statement whose every execution reads back its generated key. */
  private Object wrapAskingForKeys(Object statement) {
    opened.add((AutoCloseable) statement);
    Handler handler = new Handler(statement);
    handler.asksForKeys = true;
    return JdbcViews.proxy(PreparedStatement.class, handler);
  }

  /**
   * True where sqlite-jdbc reads keys after every INSERT itself ({@link
   * SqliteSettings.GeneratedKeys#AFTER_EVERY_INSERT}); then its own getGeneratedKeys() answers.
   */
  boolean driverReadsKeys() throws SQLException {
    if (driverReadsKeys == null) {
      driverReadsKeys =
          raw.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys();
    }
    return driverReadsKeys;
  }

  /** The key of the last INSERT, as sqlite-jdbc itself would read it. */
  ResultSet lastInsertRowid() throws SQLException {
    Statement statement = raw.createStatement();
    opened.add(statement);
    return statement.executeQuery("SELECT last_insert_rowid()");
  }

  /** Whether a transaction is open: BEGIN fails inside one. The probe itself is rolled back. */
  private boolean transactionOpen() {
    watch.disarm();
    try (Statement probe = raw.createStatement()) {
      probe.execute("BEGIN");
      probe.execute("ROLLBACK");
      return false;
    } catch (SQLException e) {
      return true;
    } finally {
      watch.arm();
    }
  }

  /** Keeps what a call returns inside the seal. */
  Object wrap(Class<?> declared, Object result) {
    if (result == null || !JdbcViews.isJdbcInterface(declared)) {
      return result;
    }
    if (declared == Connection.class) {
      return view;
    }
    if (result instanceof Statement || result instanceof ResultSet) {
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

    /** A prepared statement that asked for generated keys when it was prepared. */
    private boolean asksForKeys;

    /** The keys its last execution generated, where the executor reads them on request. */
    private ResultSet keys;

    Handler(Object target) {
      this.target = target;
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
      Call call = Call.of(method);
      if (call.role == Role.CANCEL
          && target instanceof Statement
          && cancelUnlessSealed((Statement) target)) {
        return null;
      }
      return call(proxy, this, call, args);
    }
  }
}
