package io.github.sqlitewriters.internal.view;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one kit both views of a JDBC object are made with: the view a work gets from an executor
 * ({@link SealedConnection}) and the connections an {@code ImmediateDataSource} lends. What the two
 * share is written once here: making a proxy of a JDBC interface without looking its class up on
 * every call, answering {@code equals}, {@code hashCode} and {@code toString} by identity, telling
 * which arguments ask for generated keys, and which returned objects must be kept inside the view.
 * What differs (the seal and its transaction watch; the DataSource's turns and transactions) stays
 * with each.
 */
public final class JdbcViews {
  private JdbcViews() {}

  /*
   * The proxy class's constructor per JDBC interface, looked up once. Proxy.newProxyInstance looks
   * the class up again on every call, which was a fifth of a group-commit writer's own time (two
   * views per task); the two views every task makes have constants of their own, which the JIT
   * inlines.
   */
  private static final MethodHandle CONNECTION_VIEW = viewMaker(Connection.class);
  private static final MethodHandle PREPARED_STATEMENT_VIEW = viewMaker(PreparedStatement.class);

  /*
   * The other interfaces' makers, made on first use. A map held by this class, not a ClassValue:
   * a ClassValue on java.sql's interfaces would pin this library's class loader through the proxy
   * classes (JDK-8136353), so a web application redeployed would never be unloaded.
   */
  private static final Map<Class<?>, MethodHandle> VIEW_MAKERS = new ConcurrentHashMap<>();

  /** A view of the JDBC interface {@code type} whose every call goes to {@code handler}. */
  public static Object proxy(Class<?> type, InvocationHandler handler) {
    try {
      if (type == Connection.class) {
        return (Object) CONNECTION_VIEW.invokeExact(handler);
      }
      if (type == PreparedStatement.class) {
        return (Object) PREPARED_STATEMENT_VIEW.invokeExact(handler);
      }
      return (Object) VIEW_MAKERS.computeIfAbsent(type, JdbcViews::viewMaker).invokeExact(handler);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make a view of " + type.getName(), e);
    }
  }

  /** A handle that makes a proxy of the interface around an InvocationHandler. */
  private static MethodHandle viewMaker(Class<?> type) {
    Object sample =
        Proxy.newProxyInstance(
            JdbcViews.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> null);
    try {
      return MethodHandles.publicLookup()
          .findConstructor(
              sample.getClass(), MethodType.methodType(void.class, InvocationHandler.class))
          .asType(MethodType.methodType(Object.class, InvocationHandler.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no proxy constructor for " + type.getName(), e);
    }
  }

  /** Whether the method is one of Object's, which a view answers itself. */
  public static boolean isObjectMethod(Method method) {
    return method.getDeclaringClass() == Object.class;
  }

  /**
   * Object's methods on a view: equal only to itself, hashed by identity, and a description instead
   * of the driver's text, which could show another caller's SQL and parameters once the view is
   * over. The description is worded only when {@code toString} asks for it.
   */
  public static Object objectMethod(
      Object proxy, Method method, Object[] args, Supplier<String> description) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return description.get();
    }
  }

  /** JDBC asks for generated keys with RETURN_GENERATED_KEYS or with column indexes or names. */
  public static boolean asksForKeys(Object argument) {
    if (argument instanceof Integer) {
      return (Integer) argument == Statement.RETURN_GENERATED_KEYS;
    }
    return argument instanceof int[] || argument instanceof String[];
  }

  /** Whether an object returned as {@code declared} is a JDBC object a view must keep inside. */
  public static boolean isJdbcInterface(Class<?> declared) {
    return declared.isInterface() && declared.getName().startsWith("java.sql.");
  }
}
