package io.github.sqlitewriters;

/**
 * Open or closed, and how many calls are inside. {@link #close()} waits for every call that got in
 * to leave, so that no accepted task is cut off and no connection is closed under a caller.
 */
final class Lifecycle {
  private final String strategy;
  private int inside;
  private boolean closed;

  Lifecycle(String strategy) {
    this.strategy = strategy;
  }

  /**
   * Lets a call in.
   *
   * @throws IllegalStateException if the executor is closed
   */
  synchronized void enter() {
    if (closed) {
      throw closedError();
    }
    inside++;
  }

  synchronized void exit() {
    if (--inside == 0 && closed) {
      notifyAll();
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes the door and waits, without giving up on interrupts, until every call inside has left.
   *
   * @return false if it was already closed
   */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    boolean interrupted = false;
    while (inside > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
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
