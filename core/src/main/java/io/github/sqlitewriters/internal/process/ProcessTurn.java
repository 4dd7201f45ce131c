package io.github.sqlitewriters.internal.process;

import io.github.sqlitewriters.ExecutorOptions;
import io.github.sqlitewriters.SqliteSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This process's place in the turns that the processes writing one database take ({@link
 * TurnFile}): one per database file per JVM, shared by every executor and DataSource of that file.
 * A writer takes the turn before {@code BEGIN IMMEDIATE} and gives it after COMMIT or ROLLBACK.
 *
 * <p>Why: between processes SQLite's busy handler serves nobody in order and sleeps up to 100 ms
 * between tries, while the process that just committed takes the lock again at once; one process
 * took 94 % to 99.9 % of the writes while another's waited 17 s. The turns order this library's
 * processes, and SQLite's lock stays underneath: a writer that does not use this library still gets
 * in, and a writer here still takes the lock with BEGIN IMMEDIATE and its busy deadline.
 *
 * <ul>
 *   <li>Inside the process the turn is a fair semaphore: one writer at a time, in arrival order,
 *       takes part across processes (the writer thread, the head of {@code immediate}'s queue, a
 *       DataSource transaction). Its waiting parks, so a virtual thread frees its carrier.
 *   <li>One platform thread, the keeper, takes tickets and waits for them: a blocking fcntl wait
 *       cannot time out, and an interrupt would close the file and drop every lock of the process.
 *       A writer waits for the keeper, parked, with the busy deadline. Ending a turn does not
 *       block, so the writer that gives it ends it itself, unless it is interrupted.
 *   <li>The process keeps the turn while no other process has taken a ticket, so one process alone
 *       pays no system call per transaction: the keeper reads the counter every 250 µs to 1 ms
 *       while the turn is held, and writers look at what it read. Once another has, the process
 *       goes on for at most {@link #QUANTUM_NANOS} and yields at the end of the transaction then
 *       running, instead of taking the lock again; a group-commit process's callers queue meanwhile
 *       and go in its next batch. The keeper also gives the turn up when nobody here has used it
 *       for {@link #LINGER_NANOS}.
 *   <li>A writer that has not had the turn after {@link #PATIENCE_NANOS} (a process stopped while
 *       it held the turn) goes on to SQLite's lock without it, as if there were no turns; so do the
 *       writers after it until the turn comes. A process that dies frees its turn through the
 *       kernel at once.
 *   <li>Where the side file cannot be used (a read-only directory, another user's file) the process
 *       writes as if there were no turns, and says so once in the log.
 * </ul>
 */
public final class ProcessTurn {
  /**
   * How long a process may go on using its turn while another process waits: its transactions in
   * that time run back to back, and then it yields. Each hand-off between processes costs a few
   * hundred microseconds on a small machine (a kernel wake-up of the next process's keeper, then of
   * its writer); yielding after every transaction spent more time handing over than writing. This
   * is the bound on how far a waiting process can be overtaken, for each process ahead of it: one
   * quantum, plus the transaction running at its end, plus up to a millisecond before its keeper
   * reads that another process waits.
   */
  static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** How long an idle process keeps the turn for its next transaction. */
  static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

  /**
   * How often the keeper reads the ticket counter while this process holds the turn, to learn
   * whether another process waits: at first, and again once one has been seen.
   */
  private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

  /**
   * The longest interval between two reads while no other process has been seen: it doubles up to
   * this, so that one process writing alone wakes its keeper a thousand times a second, not four.
   */
  private static final long LONGEST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** How long a writer waits for the turn before it goes to SQLite's lock without it. */
  static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final System.Logger LOG = System.getLogger(ProcessTurn.class.getName());

  /** Open turns by database file, with the executors that use each. */
  private static final Map<Path, ProcessTurn> OPEN = new HashMap<>();

  /** Orders nothing: where the side file cannot be used, and where turns are switched off. */
  public static final ProcessTurn NONE = new ProcessTurn(null, null);

  private final Path key;

  /**
   * Replaced by the keeper when an interrupt closed it or someone replaced the file; the keeper
   * replaces it only while nobody here has the turn, and others read it with the lock.
   */
  private TurnFile file;

  private final Semaphore here = new Semaphore(1, true);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition keeperWork = lock.newCondition();
  private final Thread keeper;
  private int users;

  // Guarded by lock.
  private long ticket;
  private boolean held;
  private boolean yielding;
  private boolean usedSinceTaken;
  private long heldSinceNanos;
  private boolean waiting;
  private boolean active;
  private long idleSinceNanos;
  private boolean broken;
  private boolean closed;
  private boolean acquiring;
  private boolean reopen;
  private long acquireStartedNanos;
  private boolean othersWaiting;
  private long pollNanos = FIRST_POLL_NANOS;

  private ProcessTurn(Path key, TurnFile file) {
    this.key = key;
    this.file = file;
    if (file == null) {
      this.keeper = null;
      return;
    }
    this.keeper = new Thread(this::keep, "sqlite-writers-turns-" + key);
    this.keeper.setDaemon(true);
    this.keeper.start();
  }

  /**
   * This process's turn for the settings' database file, or {@link #NONE} where the options switch
   * turns off. Open it last in a constructor, and close it with the write side.
   */
  public static ProcessTurn of(SqliteSettings settings, ExecutorOptions options) {
    return options.processTurns() ? open(settings.path()) : NONE;
  }

  /**
   * This process's turn for a database file, opened by the first executor of that file and shared
   * with the later ones; each must {@link #close()} it. Never fails: where the side file cannot be
   * used it logs why once and returns {@link #NONE}.
   */
  public static ProcessTurn open(Path database) {
    synchronized (OPEN) {
      Path key;
      try {
        key = database.toRealPath();
      } catch (IOException e) {
        warnOnce(database, "will not take turns (its real path: " + e + ")");
        return NONE;
      }
      ProcessTurn turn = OPEN.get(key);
      if (turn == null) {
        try {
          turn = new ProcessTurn(key, TurnFile.open(key));
        } catch (IOException | RuntimeException e) {
          warnOnce(key, "will not take turns (side file " + TurnFile.beside(key) + ": " + e + ")");
          return NONE;
        }
        OPEN.put(key, turn);
      }
      turn.users++;
      return turn;
    }
  }

  /** Databases already named in the log: it says once per file why there are no turns. */
  private static final Set<Path> WARNED = new HashSet<>();

  private static void warnOnce(Path database, String what) {
    synchronized (WARNED) {
      if (!WARNED.add(database)) {
        return;
      }
    }
    LOG.log(
        Level.WARNING,
        "sqlite-writers: writers of {0} in several processes {1}; they meet at SQLite''s lock as"
            + " without this library",
        database,
        what);
  }

  /**
   * Waits, parked and in arrival order among this process's writers, for this process's turn.
   *
   * @param deadlineAtNanos when the caller's busy deadline ends ({@link System#nanoTime()})
   * @return whether the caller has the turn and must {@link #give(boolean)} it; false where there
   *     are no turns, or none came within the deadline or the patience: the caller goes to SQLite's
   *     lock without one
   */
  public boolean take(long deadlineAtNanos) throws InterruptedException {
    if (file == null) {
      return false;
    }
    long giveUpAt = Math.min(deadlineAtNanos, System.nanoTime() + PATIENCE_NANOS);
    if (!here.tryAcquire(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return false;
    }
    boolean taken = false;
    lock.lock();
    try {
      waiting = true;
      while (!broken && !closed) {
        if (held && !yielding) {
          // A turn taken for this process serves at least one writer, and more for a quantum;
          // after that another process that has asked goes first.
          if (!usedSinceTaken || withinQuantum() || !othersWaiting) {
            usedSinceTaken = true;
            active = true;
            taken = true;
            return true;
          }
          yielding = true;
        }
        keeperWork.signal();
        long now = System.nanoTime();
        // Behind a process that has kept the turn past the patience (stopped, say), writers go to
        // SQLite's lock at once instead of each waiting the patience again.
        long remaining =
            Math.min(giveUpAt, acquiring ? acquireStartedNanos + PATIENCE_NANOS : giveUpAt) - now;
        if (remaining <= 0) {
          return false;
        }
        changed.awaitNanos(remaining);
      }
      return false;
    } finally {
      waiting = false;
      if (!taken) {
        here.release();
        keeperWork.signal(); // an idle turn must not wait for a writer that gave up
      }
      lock.unlock();
    }
  }

  /**
   * Ends the caller's turn, after its COMMIT or ROLLBACK: to another process if one is waiting and
   * this process's quantum is spent, else to the next writer here, or kept a moment for one.
   *
   * @param anotherWriterComing whether the caller knows of a writer here that will take the turn at
   *     once (its executor's queue is not empty): then the keeper is not woken, which in one busy
   *     process would cost a thread wake-up per transaction; it looks every millisecond anyway
   */
  public void give(boolean anotherWriterComing) {
    lock.lock();
    try {
      active = false;
      idleSinceNanos = System.nanoTime();
      if (held && !withinQuantum() && othersWaiting) {
        if (Thread.currentThread().isInterrupted()) {
          // An interrupt would close the side file under the system call: the keeper ends it.
          yielding = true;
          keeperWork.signal();
        } else {
          endTurn(); // here, rather than waking the keeper to do it: a hand-off costs less
        }
      } else if (!anotherWriterComing && !here.hasQueuedThreads()) {
        keeperWork.signal(); // so that it watches for other processes while the turn is idle
      }
    } finally {
      lock.unlock();
    }
    here.release();
  }

  /**
   * Whether this process holds the turn past its quantum while another process waits: a writer that
   * could go on (a {@code group-commit-data-source} group taking more members) ends instead.
   */
  public boolean wantedElsewhere() {
    if (file == null) {
      return false;
    }
    lock.lock();
    try {
      return held && !withinQuantum() && othersWaiting;
    } finally {
      lock.unlock();
    }
  }

  /** Drops this executor's use; the last one stops the keeper and closes the side file. */
  public void close() {
    if (file == null) {
      return;
    }
    // All of it under the registry's lock: a second descriptor of the side file opened in this
    // JVM before this one is closed would lose its locks when this one closes.
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(key);
      lock.lock();
      try {
        closed = true;
        keeperWork.signal();
        changed.signalAll();
        if (acquiring) {
          // Blocked in fcntl: the interrupt closes the file, which drops this process's locks.
          keeper.interrupt();
        }
      } finally {
        lock.unlock();
      }
      try {
        keeper.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        file.close();
      } catch (IOException e) {
        // Closing drops the locks either way.
      }
    }
  }

  /**
   * The keeper: takes tickets while a writer here waits; while this process holds the turn, reads
   * the counter now and then to learn whether another process waits, and ends an idle turn.
   */
  private void keep() {
    lock.lock();
    try {
      while (!closed && !broken) {
        if (reopen) {
          reopen();
        } else if (!held && waiting) {
          acquire();
        } else if (held && !active && mustEnd()) {
          endTurn();
        } else if (held) {
          long idleFor = System.nanoTime() - idleSinceNanos;
          long wait = active || waiting ? pollNanos : Math.min(pollNanos, LINGER_NANOS - idleFor);
          keeperWork.awaitNanos(Math.max(wait, 1));
          readCounter();
        } else {
          keeperWork.await();
        }
      }
      if (held) {
        endTurn();
      }
    } catch (InterruptedException e) {
      // Closing.
    } catch (RuntimeException | Error e) {
      // Writers must not wait for a keeper that is gone: no turns from now on, said once.
      if (!lock.isHeldByCurrentThread()) {
        lock.lock();
      }
      if (held) {
        endTurn();
      }
      brokenBy(e);
      throw e;
    } finally {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
    }
  }

  /** Learns whether another process has taken a ticket since this one. Called with the lock. */
  private void readCounter() {
    if (!held) {
      return;
    }
    try {
      othersWaiting = file.othersWaitingBehind(ticket);
    } catch (ClosedChannelException e) {
      reopen = true;
      return;
    } catch (IOException e) {
      brokenBy(e);
      return;
    }
    pollNanos = othersWaiting ? FIRST_POLL_NANOS : Math.min(2 * pollNanos, LONGEST_POLL_NANOS);
  }

  private boolean withinQuantum() {
    return System.nanoTime() - heldSinceNanos < QUANTUM_NANOS;
  }

  /** Whether the idle turn goes: yielded, or nobody here waits and another process asked. */
  private boolean mustEnd() {
    return yielding
        || (!waiting && (othersWaiting || System.nanoTime() - idleSinceNanos >= LINGER_NANOS));
  }

  /**
   * Takes a ticket and waits for the turn, outside the lock. Called by the keeper with the lock.
   */
  private void acquire() {
    acquiring = true;
    acquireStartedNanos = System.nanoTime();
    lock.unlock();
    long taken = -1;
    Exception failure = null;
    try {
      if (file.replaced()) {
        // Deleted or replaced while in use: the processes that open it now use the new one.
        reopenFile();
      }
      taken = file.takeTicket();
      file.awaitPredecessors(taken);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      lock.lock();
      acquiring = false;
    }
    if (failure != null) {
      if (!closed) {
        brokenBy(failure);
      }
      if (taken >= 0) {
        // No done mark: the turn never came, and a mark would let a successor in beside the
        // process that has it. Without one the successor waits for the tickets before.
        file.abandon();
      }
      return;
    }
    ticket = taken;
    held = true;
    pollNanos = FIRST_POLL_NANOS;
    readCounter();
    yielding = false;
    usedSinceTaken = false;
    idleSinceNanos = System.nanoTime();
    heldSinceNanos = idleSinceNanos;
    changed.signalAll();
  }

  /**
   * Ends this process's turn: the next process in ticket order goes. Called with the lock, by the
   * keeper or by a writer giving the turn. If an interrupt of that writer closed the side file, the
   * turn ended all the same (its mark was written, and closing dropped its lock); the keeper opens
   * the file again.
   */
  private void endTurn() {
    try {
      file.endTurn(ticket);
    } catch (ClosedChannelException e) {
      if (!closed) {
        reopen = true;
        keeperWork.signal();
      }
    } catch (IOException e) {
      brokenBy(e);
    }
    held = false;
    yielding = false;
    changed.signalAll();
  }

  /**
   * Opens the side file again after an interrupt closed it. Called by the keeper, with the lock.
   */
  private void reopen() {
    reopen = false;
    try {
      reopenFile();
    } catch (IOException e) {
      brokenBy(e);
    }
  }

  /** Closes this process's descriptor of the side file and opens the file now at its path. */
  private void reopenFile() throws IOException {
    file.close();
    file = TurnFile.open(key);
  }

  private void brokenBy(Throwable e) {
    broken = true;
    changed.signalAll();
    warnOnce(key, "no longer take turns (" + e + ")");
  }
}
