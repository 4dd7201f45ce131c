package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqlStatement;
import io.github.sqlitewriters.SqlWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** The units of work benchmarks measure, the same for every strategy. */
final class Rows {
  /** 32 characters, as in SQLITE-FACTS' measurements. */
  static final String VALUE = "0123456789abcdef0123456789abcdef";

  static final String INSERT = "INSERT INTO t(k, v) VALUES (?, ?)";

  private Rows() {}

  /** One row in one transaction: the operation of the write benchmarks. */
  static final SqlWork<Integer> INSERT_ONE =
      connection -> {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
          insert.setLong(1, ThreadLocalRandom.current().nextLong());
          insert.setString(2, VALUE);
          return insert.executeUpdate();
        }
      };

  /** The row of {@link #INSERT_ONE} as a statement task, with a fresh key. */
  static SqlStatement insertOneStatement() {
    try {
      return SqlStatement.of(INSERT, ThreadLocalRandom.current().nextLong(), VALUE);
    } catch (SQLException e) {
      throw new IllegalStateException("the benchmark's INSERT is a row statement", e);
    }
  }

  /** Reads, then writes: the transaction that must upgrade its lock under DEFERRED. */
  static final SqlWork<Integer> READ_THEN_INSERT =
      connection -> {
        long k;
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT max(id) FROM t")) {
          result.next();
          k = result.getLong(1);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
          insert.setLong(1, k);
          insert.setString(2, VALUE);
          return insert.executeUpdate();
        }
      };

  /** A point read by a random id, as a request handler would. */
  static final SqlWork<Long> READ_ONE =
      connection -> {
        try (PreparedStatement select =
            connection.prepareStatement("SELECT k FROM t WHERE id = ?")) {
          select.setLong(1, 1 + ThreadLocalRandom.current().nextInt(1_000));
          try (ResultSet result = select.executeQuery()) {
            return result.next() ? result.getLong(1) : -1L;
          }
        }
      };
}
