package io.github.sqlitewriters.harness.foreignlocks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A foreign process that takes the write lock, holds it, then rolls back and exits: what another
 * program (a migration, a backup, the sqlite3 shell) does to an application's database.
 *
 * <p>Arguments: database path, milliseconds to hold the lock.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      statement.execute("INSERT INTO t(v) VALUES ('foreign, never committed')");
      System.out.println("LOCKED");
      Thread.sleep(Long.parseLong(args[1]));
      statement.execute("ROLLBACK");
    }
    System.out.println("RELEASED");
  }
}
