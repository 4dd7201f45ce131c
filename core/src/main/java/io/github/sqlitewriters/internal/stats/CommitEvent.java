package io.github.sqlitewriters.internal.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event per COMMIT of a write strategy, so that a recording shows when the write lock was
 * released and how many callers each COMMIT answered, beside the JVM's own events. JFR makes an
 * event cost next to nothing unless a recording has it enabled; {@code shouldCommit()} is checked
 * before any field is set.
 */
@Name("io.github.sqlitewriters.Commit")
@Label("SQLite Commit")
@Category({"SQLite", "sqlite-writers"})
@Description("One COMMIT of a write strategy: its duration, the strategy, the tasks it committed")
@StackTrace(false)
public final class CommitEvent extends Event {
  @Label("Strategy")
  String strategy;

  @Label("Tasks")
  @Description("Callers' works this COMMIT made durable")
  int tasks;

  /** Begins timing a COMMIT. */
  public static CommitEvent start() {
    CommitEvent event = new CommitEvent();
    event.begin();
    return event;
  }

  /** Ends timing and records the event if a recording wants it. */
  public void finish(String strategy, int tasks) {
    end();
    if (shouldCommit()) {
      this.strategy = strategy;
      this.tasks = tasks;
      commit();
    }
  }
}
