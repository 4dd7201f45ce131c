package io.github.sqlitewriters.bench;

import io.github.sqlitewriters.SqliteBusyException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Failed writes, counted per iteration instead of thrown out of the benchmark, so an unsafe
 * strategy's failures are a number in the results rather than a stopped run.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Failures {
  public long busyFailures;
  public long otherFailures;

  @Setup(Level.Iteration)
  public void reset() {
    busyFailures = 0;
    otherFailures = 0;
  }

  void count(Exception error) {
    if (error instanceof SqliteBusyException) {
      busyFailures++;
    } else {
      otherFailures++;
    }
  }

  /**
   * Counts a failure that reached the caller wrapped by a framework (Spring's DataAccessException):
   * busy if SQLite's busy answer is anywhere in its causes.
   */
  void countWrapped(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SqliteBusyException
          || (cause.getMessage() != null && cause.getMessage().contains("SQLITE_BUSY"))) {
        busyFailures++;
        return;
      }
    }
    otherFailures++;
  }
}
