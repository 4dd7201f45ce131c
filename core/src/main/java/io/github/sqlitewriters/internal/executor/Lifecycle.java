package io.github.sqlitewriters.internal.executor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open or closed, and how many calls are inside. {@link #close()} waits for every call that got in
 * to leave, so that no accepted task is cut off and no connection is closed under a caller.
 *
 * <p>Every submit passes here twice, from every caller thread at once, so entering and leaving are
 * one atomic update each rather than a monitor: with four threads submitting, a synchronized
 * counter became a contended lock on the submitters' path. Only close() and the last call to leave
 * after it take the monitor.
 */
final class Lifecycle {
  /** The bit of {@link #state} that says closed; the bits below count the calls inside. */
  private static final int CLOSED = 1 << 30;

  private final String strategy;
  private final AtomicInteger state = new AtomicInteger();

  Lifecycle(String strategy) {
    this.strategy = strategy;
  }

  /**
   * Lets a call in.
   *
   * @throws IllegalStateException if the executor is closed
   */
  void enter() {
    while (true) {
      int now = state.get();
      if ((now & CLOSED) != 0) {
        throw closedError();
      }
      if (state.compareAndSet(now, now + 1)) {
        return;
      }
    }
  }

  void exit() {
    int now;
    do {
      now = state.get();
      if ((now & ~CLOSED) == 0) {
        // Would turn the count negative, and a negative state has the CLOSED bit set.
        throw new IllegalStateException("exit() without enter() on the " + strategy + " executor");
      }
    } while (!state.compareAndSet(now, now - 1));
    if (now - 1 == CLOSED) {
      // The last call out after close(): close() may be waiting for it.
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /**
   * Closes the door and waits, without giving up on interrupts, until every call inside has left.
   *
   * @return false if it was already closed
   */
  boolean close() {
    if ((state.getAndUpdate(now -> now | CLOSED) & CLOSED) != 0) {
      return false;
    }
    boolean interrupted = false;
    synchronized (this) {
      // exit() notifies under this monitor, so a call leaving between the check and wait() is not
      // missed: it cannot notify until wait() has released the monitor.
      while (state.get() != CLOSED) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  IllegalStateException closedError() {
    return new IllegalStateException("the " + strategy + " executor is closed");
  }
}
