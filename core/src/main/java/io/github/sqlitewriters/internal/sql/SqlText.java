package io.github.sqlitewriters.internal.sql;

import io.github.sqlitewriters.TransactionControlException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the text of a work's SQL says, read cheaply from its first words. It is a first line only:
 * it refuses the plain ways of ending the transaction before they reach SQLite, with a clear
 * message, and it flags SQL that may change the connection's state so that the executor checks that
 * state afterwards. Whether the transaction really ended is decided by SQLite's own commit and
 * rollback hooks ({@link TransactionWatch}), never by this text.
 */
public final class SqlText {
  /** Statements that can only read or change rows of existing tables. */
  private static final Set<String> ROW_STATEMENTS =
      Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES");

  /**
   * PRAGMAs that only read the schema or SQLite's own lists, whatever their argument: they leave
   * the connection as it was, so a work or a framework that runs them (Hibernate reads {@code
   * table_info} to check its schema) costs no fresh connection. Their table-valued forms ({@code
   * SELECT * FROM pragma_table_info('t')}) are SELECTs, read as rows already. Any other PRAGMA may
   * set state, with or without an argument ({@code optimize}, {@code wal_checkpoint}, {@code
   * foreign_keys = OFF}), and still replaces the connection.
   */
  private static final Set<String> READ_ONLY_PRAGMAS =
      Set.of(
          "TABLE_INFO",
          "TABLE_XINFO",
          "TABLE_LIST",
          "INDEX_LIST",
          "INDEX_INFO",
          "INDEX_XINFO",
          "FOREIGN_KEY_LIST",
          "DATABASE_LIST",
          "COLLATION_LIST",
          "FUNCTION_LIST",
          "MODULE_LIST",
          "PRAGMA_LIST",
          "COMPILE_OPTIONS");

  private SqlText() {}

  /** What a statement can do beyond its own rows, as far as its text tells. */
  public enum Kind {
    /** One statement that reads or changes rows of existing tables, and nothing else. */
    ROWS,
    /** SAVEPOINT, RELEASE or ROLLBACK TO: a nested scope inside the executor's transaction. */
    SAVEPOINT,
    /**
     * Anything else (a PRAGMA, ATTACH, DDL, several statements in one string): it may change the
     * connection's state; erring towards this only costs a fresh connection.
     */
    OTHER
  }

  /**
   * Reads the SQL's first words once: refuses those that would begin or end the transaction (BEGIN,
   * COMMIT, END, ROLLBACK but not ROLLBACK TO), and tells what the rest can do.
   */
  public static Kind classify(String sql) throws TransactionControlException {
    if (sql == null) {
      return Kind.ROWS;
    }
    // One word decides all but ROLLBACK; reading three for every statement was most of the cost.
    String first = leadingWords(sql, 1)[0];
    switch (first) {
      case "BEGIN":
      case "COMMIT":
      case "END":
        throw new TransactionControlException("the statement " + first);
      case "ROLLBACK":
        String[] words = leadingWords(sql, 3);
        if (!(words[1].equals("TRANSACTION") ? words[2] : words[1]).equals("TO")) {
          throw new TransactionControlException("the statement ROLLBACK");
        }
        return Kind.SAVEPOINT;
      case "SAVEPOINT":
      case "RELEASE":
        return Kind.SAVEPOINT;
      case "PRAGMA":
        return readOnlyPragma(sql) ? Kind.ROWS : Kind.OTHER;
      default:
        break;
    }
    if (severalStatements(sql)) {
      return Kind.OTHER;
    }
    return ROW_STATEMENTS.contains(first) ? Kind.ROWS : Kind.OTHER;
  }

  /**
   * True if one statement of {@link Kind#ROWS} can only read: SELECT or VALUES. Anything else,
   * including a WITH that may end in an INSERT, is taken as a possible write.
   */
  public static boolean onlyReads(String sql) {
    String first = leadingWords(sql, 1)[0];
    return first.equals("SELECT")
        || first.equals("VALUES")
        || (first.equals("PRAGMA") && readOnlyPragma(sql));
  }

  /** True for one PRAGMA statement of {@link #READ_ONLY_PRAGMAS}, in any schema, any argument. */
  private static boolean readOnlyPragma(String sql) {
    return READ_ONLY_PRAGMAS.contains(pragmaName(sql)) && !severalStatements(sql);
  }

  /**
   * The name of the PRAGMA a statement runs, upper case, without its schema ({@code main.}, {@code
   * "aux".}); "" where none can be read.
   */
  static String pragmaName(String sql) {
    int i = afterBlanks(sql, 0);
    if (!sql.regionMatches(true, i, "PRAGMA", 0, 6)) {
      return "";
    }
    int start = afterBlanks(sql, i + 6);
    int end = afterName(sql, start);
    int next = afterBlanks(sql, end);
    if (next < sql.length() && sql.charAt(next) == '.') {
      start = afterBlanks(sql, next + 1);
      end = afterName(sql, start);
    }
    String name = sql.substring(start, end);
    if (name.length() > 1 && (name.charAt(0) == '"' || name.charAt(0) == '`')) {
      name = name.substring(1, name.length() - 1);
    }
    return name.toUpperCase(Locale.ROOT);
  }

  /** Past blanks and comments from {@code i}. */
  private static int afterBlanks(String sql, int i) {
    int n = sql.length();
    while (i < n) {
      if (Character.isWhitespace(sql.charAt(i))) {
        i++;
      } else if (afterComment(sql, i) > i) {
        i = afterComment(sql, i);
      } else {
        break;
      }
    }
    return i;
  }

  /** Past a name at {@code i}: letters, digits and underscores, or a quoted name. */
  private static int afterName(String sql, int i) {
    int n = sql.length();
    if (i < n && (sql.charAt(i) == '"' || sql.charAt(i) == '`')) {
      return afterQuoted(sql, i);
    }
    while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /** OR, then ROLLBACK, with blanks or comments between them. */
  private static final Pattern OR_ROLLBACK =
      Pattern.compile(
          "\\bOR(?:\\s|/\\*.*?\\*/|--[^\\n]*(?:\\n|$))+ROLLBACK\\b",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern ROLLBACK_OR_DEFERRED =
      Pattern.compile("\\b(?:ROLLBACK|DEFERRED)\\b", Pattern.CASE_INSENSITIVE);

  /**
   * True for a row statement with the {@code OR ROLLBACK} conflict clause, which rolls back the
   * whole transaction on a conflict. Read in the text, string literals included: a false alarm is a
   * clear refusal, a miss would cost other callers' writes.
   */
  public static boolean rollsBackOnConflict(String sql) {
    return OR_ROLLBACK.matcher(sql).find();
  }

  /**
   * True for SQL that names ROLLBACK or DEFERRED anywhere: DDL that may make a later statement roll
   * back the whole transaction (a conflict clause, a trigger's RAISE) or defer a foreign key check
   * to the COMMIT. Conservative, as {@link #rollsBackOnConflict}.
   */
  public static boolean mayRollBackOrDefer(String sql) {
    return ROLLBACK_OR_DEFERRED.matcher(sql).find();
  }

  /** True for a statement that begins with INSERT, UPDATE, DELETE or REPLACE. */
  public static boolean insertsUpdatesOrDeletes(String sql) {
    String first = leadingWords(sql, 1)[0];
    return first.equals("INSERT")
        || first.equals("UPDATE")
        || first.equals("DELETE")
        || first.equals("REPLACE");
  }

  /**
   * True for an INSERT or REPLACE, also behind a WITH clause: the statements whose generated keys
   * JDBC reports.
   */
  public static boolean inserts(String sql) {
    String first = leadingWords(sql, 1)[0];
    if (first.equals("WITH")) {
      first = verbAfterWith(sql);
    }
    return first.equals("INSERT") || first.equals("REPLACE");
  }

  /**
   * The statement's own verb behind its WITH clause: the first of SELECT, INSERT, REPLACE, UPDATE,
   * DELETE or VALUES outside parentheses, quotes and comments; "" if none.
   */
  private static String verbAfterWith(String sql) {
    int n = sql.length();
    int depth = 0;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (afterQuoted(sql, i) > i) {
        i = afterQuoted(sql, i);
      } else if (afterComment(sql, i) > i) {
        i = afterComment(sql, i);
      } else if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        depth--;
        i++;
      } else if (Character.isLetter(c)) {
        int start = i;
        i = afterName(sql, i);
        String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
        if (depth == 0 && VERBS_AFTER_WITH.contains(word)) {
          return word;
        }
      } else {
        i++;
      }
    }
    return "";
  }

  private static final Set<String> VERBS_AFTER_WITH =
      Set.of("SELECT", "INSERT", "REPLACE", "UPDATE", "DELETE", "VALUES");

  /**
   * True if a statement follows the first: a semicolon outside quotes ('', "", ``, []) and
   * comments, with more than blanks and comments after it. A semicolon inside a literal ({@code
   * VALUES ('a;b')}) is part of the one statement.
   */
  public static boolean severalStatements(String sql) {
    if (sql.indexOf(';') < 0) {
      // The common case, read on every statement a work prepares: no scan.
      return false;
    }
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (afterQuoted(sql, i) > i) {
        i = afterQuoted(sql, i);
      } else if (afterComment(sql, i) > i) {
        i = afterComment(sql, i);
      } else if (c == ';') {
        return hasNonBlank(sql.substring(i + 1));
      } else {
        i++;
      }
    }
    return false;
  }

  /** True if anything but blanks and comments is left. */
  private static boolean hasNonBlank(String rest) {
    String stripped = rest.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
    return !stripped.replace(";", " ").isBlank();
  }

  /**
   * Where quoted text ('', "", ``, []) starting at {@code i} ends; {@code i} itself if none starts
   * there. A doubled quote inside a literal is an escaped quote: the caller's scan finds the next.
   */
  private static int afterQuoted(String sql, int i) {
    char c = sql.charAt(i);
    if (c != '\'' && c != '"' && c != '`' && c != '[') {
      return i;
    }
    int end = sql.indexOf(c == '[' ? ']' : c, i + 1);
    return end < 0 ? sql.length() : end + 1;
  }

  /** Where a comment starting at {@code i} ends; {@code i} itself if none starts there. */
  private static int afterComment(String sql, int i) {
    if (sql.startsWith("--", i)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end + 1;
    }
    if (sql.startsWith("/*", i)) {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    return i;
  }

  /** The first {@code count} words of the SQL, upper case, skipping blanks and comments. */
  private static String[] leadingWords(String sql, int count) {
    String[] words = new String[count];
    int i = 0;
    int n = sql.length();
    for (int w = 0; w < count; w++) {
      i = afterBlanks(sql, i);
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
