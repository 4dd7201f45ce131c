package io.github.sqlitewriters.internal.view;

import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the work's view needs to know of one JDBC method, worked out once per method: a work's task
 * makes about five calls, and reading the method's name and return type afresh on each was a good
 * part of what the view cost.
 */
final class ViewCall {
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

  /**
   * Keyed by identity: a proxy class passes the same Method object on every call, and an identity
   * lookup is a fraction of Method.hashCode() and equals(). Copied on write; only the first call of
   * each method writes.
   */
  private static volatile Map<Method, ViewCall> known = new IdentityHashMap<>();

  final Method method;
  final String name;

  /** What the view does with the call itself, if anything. */
  final Role role;

  /** SQL text in the first argument, read by {@code SqlText} before it runs. */
  final boolean runsSql;

  /** Refused on the connection: it would end the transaction or change a setting. */
  final boolean refusedOnConnection;

  /** An execution, after which a statement that asked for keys reads them. */
  final boolean executes;

  /** Returns a JDBC object, which must be kept inside the seal. */
  final boolean wrapsResult;

  private ViewCall(Method method) {
    this.method = method;
    this.name = method.getName();
    this.role = Role.of(name);
    this.runsSql = SQL_CALLS.contains(name);
    this.refusedOnConnection = REFUSED_CONNECTION_CALLS.contains(name) || name.startsWith("set");
    this.executes = name.startsWith("execute");
    this.wrapsResult = JdbcViews.isJdbcInterface(method.getReturnType());
  }

  static ViewCall of(Method method) {
    ViewCall found = known.get(method);
    return found != null ? found : learn(method);
  }

  private static synchronized ViewCall learn(Method method) {
    ViewCall found = known.get(method);
    if (found == null) {
      found = new ViewCall(method);
      Map<Method, ViewCall> more = new IdentityHashMap<>(known);
      more.put(method, found);
      known = more;
    }
    return found;
  }

  /**
   * The methods the view answers or watches itself, told apart once per method: comparing the name
   * against each on every call cost more than the rest of the view's bookkeeping.
   */
  enum Role {
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
}
