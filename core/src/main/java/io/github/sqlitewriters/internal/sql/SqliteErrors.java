package io.github.sqlitewriters.internal.sql;

import io.github.sqlitewriters.SqliteBusyException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Reads SQLite's result codes out of the exceptions sqlite-jdbc throws. */
public final class SqliteErrors {
  /** sqlite-jdbc names the code in brackets even where it throws a plain SQLException. */
  private static final Pattern NAMED_CODE = Pattern.compile("\\[SQLITE_([A-Z_]+)\\]");

  private static final int SQLITE_READONLY = 8;

  private SqliteErrors() {}

  /** The extended result code of a SQLite failure, or -1 if it carries none. */
  public static int resultCode(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof SqliteBusyException) {
        return ((SqliteBusyException) e).resultCode();
      }
      if (e instanceof SQLiteException) {
        SQLiteErrorCode code = ((SQLiteException) e).getResultCode();
        return code.code >= 0 ? code.code : ((SQLiteException) e).getErrorCode();
      }
      if (e instanceof SQLException && e.getMessage() != null) {
        Matcher named = NAMED_CODE.matcher(e.getMessage());
        if (named.find()) {
          for (SQLiteErrorCode code : SQLiteErrorCode.values()) {
            if (code.name().equals("SQLITE_" + named.group(1))) {
              return code.code;
            }
          }
        }
      }
    }
    return -1;
  }

  /** True for SQLITE_BUSY and SQLITE_LOCKED in any extended form. */
  public static boolean isBusy(Throwable error) {
    int code = resultCode(error);
    return code >= 0 && ((code & 0xff) == 5 || (code & 0xff) == 6);
  }

  /**
   * True for busy answers that waiting cannot cure: SQLITE_BUSY_SNAPSHOT (this connection's read
   * snapshot is stale, e.g. an open cursor, and must end first) and a COMMIT refused while
   * statements of the same connection are still running.
   */
  public static boolean waitingCannotHelp(Throwable error) {
    return resultCode(error) == 517
        || (error.getMessage() != null && error.getMessage().contains("statements in progress"));
  }

  /**
   * True for the errors after which SQLite may roll back the whole transaction by itself, not just
   * the statement: SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY, SQLITE_INTERRUPT,
   * SQLITE_CORRUPT and SQLITE_NOTADB, in any extended form.
   *
   * @see <a href="https://www.sqlite.org/lang_transaction.html">Response to errors within a
   *     transaction</a>
   */
  public static boolean rollsBackTransaction(Throwable error) {
    int code = resultCode(error);
    if (code < 0) {
      return false;
    }
    switch (code & 0xff) {
      case 5: // BUSY
      case 7: // NOMEM
      case 9: // INTERRUPT
      case 10: // IOERR
      case 11: // CORRUPT
      case 13: // FULL
      case 26: // NOTADB
        return true;
      default:
        return false;
    }
  }

  /** True for SQLITE_CONSTRAINT in any form, such as a deferred foreign key failing at COMMIT. */
  public static boolean isConstraint(Throwable error) {
    int code = resultCode(error);
    return code >= 0 && (code & 0xff) == 19;
  }

  /** True for SQLITE_READONLY in any form: a write on a query_only or read-only connection. */
  public static boolean isReadOnly(Throwable error) {
    int code = resultCode(error);
    return code >= 0 && (code & 0xff) == SQLITE_READONLY;
  }

  /**
   * The exception a caller should see: a busy failure becomes a {@link SqliteBusyException} that
   * says which strategy gave up and after how much; anything else is returned as it is.
   */
  public static SQLException forCaller(
      SQLException error, String strategy, int attempts, long startNanos) {
    if (error instanceof SqliteBusyException || !isBusy(error)) {
      return error;
    }
    return new SqliteBusyException(
        SqliteBusyException.Code.of(resultCode(error)),
        strategy,
        attempts,
        Duration.ofNanos(System.nanoTime() - startNanos),
        error);
  }

  /**
   * What a blocking call throws for a failure (the one its future completed with, or the work's):
   * the SQLException itself, an unchecked exception or error rethrown as it is, anything else
   * wrapped in an SQLException.
   */
  public static SQLException forBlockingCaller(Throwable failure) {
    if (failure instanceof SQLException) {
      return (SQLException) failure;
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    return new SQLException(failure);
  }
}
