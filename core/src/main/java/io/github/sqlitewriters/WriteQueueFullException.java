package io.github.sqlitewriters;

import java.sql.SQLTransientException;
import java.time.Duration;

/**
 * A queueing strategy's queue stayed full for the whole submit timeout, so the work was refused and
 * never ran. The bound keeps a burst of submitters from growing the heap without limit; the caller
 * may slow down and try again.
 */
public final class WriteQueueFullException extends SQLTransientException {
  private static final long serialVersionUID = 1L;

  /**
   * @param strategy the strategy whose queue was full
   * @param capacity the queue's capacity
   * @param waited how long the submitter waited for a place
   */
  public WriteQueueFullException(String strategy, int capacity, Duration waited) {
    super(
        "the "
            + strategy
            + " queue stayed full ("
            + capacity
            + " tasks) for "
            + waited.toMillis()
            + " ms; the work was not run");
  }
}
