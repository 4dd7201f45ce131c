package io.github.sqlitewriters;

import java.util.Locale;
import java.util.Set;

/**
 * What the text of a work's SQL says, read cheaply from its first words. It is a first line only:
 * it refuses the plain ways of ending the transaction before they reach SQLite, with a clear
 * message, and it flags SQL that may change the connection's state so that the executor checks that
 * state afterwards. Whether the transaction really ended is decided by SQLite's own commit and
 * rollback hooks ({@link TransactionWatch}), never by this text.
 */
final class SqlText {
  /** Statements that can only read or change rows of existing tables. */
  private static final Set<String> ROW_STATEMENTS =
      Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES");

  private SqlText() {}

  /**
   * Refuses SQL whose first word would begin or end the transaction. ROLLBACK TO (a savepoint) is
   * fine; SAVEPOINT and RELEASE nest inside the executor's transaction and are fine too.
   */
  static void checkTransactionControl(String sql) throws TransactionControlException {
    if (sql == null) {
      return;
    }
    String[] words = leadingWords(sql, 3);
    String first = words[0];
    if (first.equals("BEGIN") || first.equals("COMMIT") || first.equals("END")) {
      throw new TransactionControlException("the statement " + first);
    }
    if (first.equals("ROLLBACK")) {
      String next = words[1].equals("TRANSACTION") ? words[2] : words[1];
      if (!next.equals("TO")) {
        throw new TransactionControlException("the statement ROLLBACK");
      }
    }
  }

  /**
   * True if the SQL is one statement that reads or changes rows and nothing else. Anything else (a
   * PRAGMA, ATTACH, DDL, several statements in one string) may change the connection's state, which
   * the executor then checks; erring towards false only costs that check.
   */
  static boolean onlyTouchesRows(String sql) {
    if (sql == null) {
      return true;
    }
    int semicolon = sql.indexOf(';');
    if (semicolon >= 0 && !sql.substring(semicolon + 1).isBlank()) {
      return false;
    }
    return ROW_STATEMENTS.contains(leadingWords(sql, 1)[0]);
  }

  /**
   * True for SAVEPOINT, RELEASE and ROLLBACK TO: nested scopes inside the executor's transaction.
   */
  static boolean isSavepointStatement(String sql) {
    if (sql == null) {
      return false;
    }
    String[] words = leadingWords(sql, 3);
    switch (words[0]) {
      case "SAVEPOINT":
      case "RELEASE":
        return true;
      case "ROLLBACK":
        return (words[1].equals("TRANSACTION") ? words[2] : words[1]).equals("TO");
      default:
        return false;
    }
  }

  /** The first {@code count} words of the SQL, upper case, skipping blanks and comments. */
  private static String[] leadingWords(String sql, int count) {
    String[] words = new String[count];
    int i = 0;
    int n = sql.length();
    for (int w = 0; w < count; w++) {
      while (i < n) {
        if (Character.isWhitespace(sql.charAt(i))) {
          i++;
        } else if (sql.startsWith("--", i)) {
          int end = sql.indexOf('\n', i);
          i = end < 0 ? n : end + 1;
        } else if (sql.startsWith("/*", i)) {
          int end = sql.indexOf("*/", i + 2);
          i = end < 0 ? n : end + 2;
        } else {
          break;
        }
      }
      int start = i;
      while (i < n && Character.isLetter(sql.charAt(i))) {
        i++;
      }
      words[w] = sql.substring(start, i).toUpperCase(Locale.ROOT);
      if (i == start && i < n) {
        i++;
      }
    }
    return words;
  }
}
