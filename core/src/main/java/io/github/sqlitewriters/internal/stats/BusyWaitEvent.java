package io.github.sqlitewriters.internal.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JFR event per wait for SQLite's lock that took more than one attempt: which statement, how many
 * attempts, and whether the caller got the lock or gave up with {@link SqliteBusyException}. It is
 * the event to look for when callers see latency spikes: another process, or a connection outside
 * the executor, holding the lock. Recorded only when a recording enables it.
 */
@Name("io.github.sqlitewriters.BusyWait")
@Label("SQLite Busy Wait")
@Category({"SQLite", "sqlite-writers"})
@Description("Retries of BEGIN IMMEDIATE or COMMIT that met SQLITE_BUSY")
public final class BusyWaitEvent extends Event {
  @Label("Strategy")
  String strategy;

  @Label("Statement")
  String statement;

  @Label("Attempts")
  int attempts;

  @Label("Gave Up")
  @Description("True if the caller got SqliteBusyException at the deadline")
  boolean gaveUp;

  /** Records a wait that began at the first busy answer, if a recording wants it. */
  public void finish(String strategy, String statement, int attempts, boolean gaveUp) {
    end();
    if (shouldCommit()) {
      this.strategy = strategy;
      this.statement = statement;
      this.attempts = attempts;
      this.gaveUp = gaveUp;
      commit();
    }
  }
}
