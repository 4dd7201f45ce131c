package io.github.sqlitewriters;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.sqlitewriters.internal.connection.TransactionWatch;
import io.github.sqlitewriters.internal.view.SealedConnection;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A library loaded by a class loader of its own (a web application, a plugin) must not keep that
 * loader alive once its user lets go: redeploying would otherwise keep every old copy, and the
 * driver's native library with it. The sealed view makes proxy classes in the library's loader for
 * every JDBC interface a work reaches; what caches their constructors must not hang them on
 * java.sql's own classes (a ClassValue would: JDK-8136353).
 */
class ClassLoaderUnloadTest {

  @Test
  void theLibrarysLoaderCanBeCollectedAfterViewsOfEveryKindWereMade() throws Exception {
    WeakReference<ClassLoader> loader = useTheLibraryInALoaderOfItsOwn();
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(loader.get(), "the library's class loader is still reachable");
  }

  /** Loads core in a fresh loader, makes views of a connection, statement and result set. */
  private static WeakReference<ClassLoader> useTheLibraryInALoaderOfItsOwn() throws Exception {
    URL core = SealedConnection.class.getProtectionDomain().getCodeSource().getLocation();
    URL driver = org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader loader =
        new URLClassLoader(new URL[] {core, driver}, ClassLoader.getPlatformClassLoader());
    Class<?> sealed = loader.loadClass(SealedConnection.class.getName());
    assertNotNull(sealed);
    Class<?> watch = loader.loadClass(TransactionWatch.class.getName());
    Method make = sealed.getDeclaredMethod("of", String.class, Connection.class, watch);
    Object view = make.invoke(null, "test", fakeConnection(), null);
    Method connection = sealed.getDeclaredMethod("connection");
    connection.setAccessible(true);
    Connection work = (Connection) connection.invoke(view);
    try (Statement statement = work.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1")) {
      rows.next();
    }
    Method seal = sealed.getDeclaredMethod("seal");
    seal.setAccessible(true);
    seal.invoke(view);
    loader.close();
    return new WeakReference<>(loader);
  }

  /** A connection whose statements answer every query with an empty result set. */
  private static Connection fakeConnection() {
    ResultSet rows =
        (ResultSet)
            Proxy.newProxyInstance(
                ClassLoaderUnloadTest.class.getClassLoader(),
                new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    Statement statement =
        (Statement)
            Proxy.newProxyInstance(
                ClassLoaderUnloadTest.class.getClassLoader(),
                new Class<?>[] {Statement.class},
                (proxy, method, args) -> method.getName().equals("executeQuery") ? rows : null);
    return (Connection)
        Proxy.newProxyInstance(
            ClassLoaderUnloadTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> method.getName().equals("createStatement") ? statement : null);
  }
}
