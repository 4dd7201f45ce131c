package io.github.sqlitewriters;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * A bounded set of connections, opened on demand and reused, last returned first lent (a warm
 * connection has its statements and pages cached). Small on purpose: the strategies that use it
 * need one connection per concurrent caller and nothing HikariCP adds (validation, lifetimes,
 * metrics), which the {@code hikari-pool} strategy measures on its own.
 */
final class ConnectionPool implements AutoCloseable {

  /** Opens one connection, with every PRAGMA applied. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private final Opener opener;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ConnectionPool(Opener opener, int maxConnections) {
    this.opener = opener;
    this.permits = new Semaphore(maxConnections);
  }

  /** Adds a connection opened (and checked) by the executor, so a bad path fails at open. */
  ConnectionPool with(Connection connection) {
    open.add(connection);
    idle.push(connection);
    return this;
  }

  /** Waits for a free place, then lends an idle connection or opens a new one. */
  Connection acquire() throws SQLException, InterruptedException {
    permits.acquire();
    Connection connection = idle.pollFirst();
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

  /** Takes a connection back; one that was closed or left broken is dropped. */
  void release(Connection connection, boolean healthy) {
    try {
      if (closed || !healthy || connection.isClosed()) {
        discard(connection);
      } else {
        idle.push(connection);
        if (closed && idle.remove(connection)) {
          discard(connection);
        }
      }
    } catch (SQLException e) {
      discard(connection);
    } finally {
      permits.release();
    }
  }

  void release(Connection connection) {
    release(connection, true);
  }

  private void discard(Connection connection) {
    open.remove(connection);
    try {
      connection.close();
    } catch (SQLException ignored) {
      // The connection is being thrown away; there is nothing left to do with it.
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection connection : open) {
      discard(connection);
    }
    idle.clear();
  }
}
