package io.github.sqlitewriters.internal.connection;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded set of connections, opened on demand and reused, last returned first lent (a warm
 * connection has its statements and pages cached). Small on purpose: the strategies that use it
 * need one connection per concurrent caller and nothing HikariCP adds (validation, lifetimes,
 * metrics), which the {@code hikari-pool} strategy measures on its own. A connection returned as
 * unhealthy is closed, and a new one opened in its place when next needed.
 *
 * @param <C> a connection, or a connection with what its executor keeps beside it
 */
public final class ConnectionPool<C extends AutoCloseable> implements AutoCloseable {

  /** Opens one connection, with every PRAGMA applied. */
  @FunctionalInterface
  public interface Opener<C> {
    C open() throws SQLException;
  }

  private final Opener<C> opener;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<C> idle = new ConcurrentLinkedDeque<>();
  private final Set<C> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ConnectionPool(Opener<C> opener, int maxConnections) {
    this.opener = opener;
    this.permits = new Semaphore(maxConnections);
  }

  /** Adds a connection opened (and checked) by the executor, so a bad path fails at open. */
  public ConnectionPool<C> with(C connection) {
    open.add(connection);
    idle.push(connection);
    return this;
  }

  /** Waits for a free place, then lends an idle connection or opens a new one. */
  public C acquire() throws SQLException, InterruptedException {
    permits.acquire();
    return lend();
  }

  /**
   * Waits for a free place until the timeout, then lends an idle connection or opens a new one.
   *
   * @return null if no place came free in time
   */
  public C acquire(Duration timeout) throws SQLException, InterruptedException {
    if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return null;
    }
    return lend();
  }

  private C lend() throws SQLException {
    C connection = idle.pollFirst();
    if (connection != null) {
      return connection;
    }
    try {
      connection = opener.open();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
    open.add(connection);
    return connection;
  }

  /** Takes a connection back; one left broken, or in a state it cannot be trusted in, is closed. */
  public void release(C connection, boolean healthy) {
    try {
      if (closed || !healthy) {
        discard(connection);
      } else {
        idle.push(connection);
        if (closed && idle.remove(connection)) {
          discard(connection);
        }
      }
    } finally {
      permits.release();
    }
  }

  public void release(C connection) {
    release(connection, true);
  }

  private void discard(C connection) {
    open.remove(connection);
    try {
      connection.close();
    } catch (Exception ignored) {
      // The connection is being thrown away; there is nothing left to do with it.
    }
  }

  @Override
  public void close() {
    closed = true;
    for (C connection : open) {
      discard(connection);
    }
    idle.clear();
  }
}
