package io.github.sqlitewriters.internal.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The side file through which the processes that write one database take turns, in ticket order:
 * {@code <database>-turns}, beside the database. A ticket chain of POSIX record locks, chosen over
 * a plain lock and over polling after measuring all three
 * (results/2026-12-03-process-turns-design).
 *
 * <ul>
 *   <li>A process takes the next ticket from a counter in the first 8 bytes, under an fcntl lock on
 *       those bytes, and in the same step locks the byte of its ticket's slot. It holds that byte
 *       while it waits and while it has the turn.
 *   <li>It waits by locking its predecessor's byte. The kernel wakes exactly that one waiter when
 *       the predecessor releases, so the turn passes in ticket order with no polling, in tens of
 *       microseconds, and a waiter costs no CPU.
 *   <li>A process that ends its turn writes its ticket into its slot's done mark before it
 *       releases. A process that dies has its locks released by the kernel but leaves no mark; its
 *       successor sees that and waits one ticket further back, so a dead process stalls nobody.
 * </ul>
 *
 * <p>Layout: bytes 0 to 7 the next ticket; from byte 64, 8 bytes per slot holding the ticket + 1
 * that last ended its turn there; the slot bytes that are locked lie far past those, where fcntl
 * may lock but nothing is stored. Values are read and written with {@code pread} and {@code
 * pwrite}, not through a memory mapping: a mapping outlives {@link #close()} until garbage
 * collection (the file system stays busy) and kills the JVM with SIGBUS if someone truncates the
 * file. A missing or short file reads as zeros.
 *
 * <p>Each process opens the file once ({@link ProcessTurn}), because closing any descriptor of a
 * file drops all of a process's locks on it; and no thread that may be interrupted uses it for
 * long, because an interrupt closes a {@link FileChannel}.
 */
final class TurnFile implements AutoCloseable {
  /** Appended to the database file's name. */
  static final String SUFFIX = "-turns";

  /** More than the processes that can wait at once: one ticket per process at a time. */
  private static final int SLOTS = 1024;

  private static final long COUNTER = 0;
  private static final long DONE_BASE = 64;
  private static final long LOCK_BASE = 1L << 20;

  /** How long to wait before asking again after the kernel reported a deadlock that is none. */
  private static final long DEADLOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Path path;
  private final FileChannel channel;
  private final Object identity;
  private FileLock mine;

  private TurnFile(Path path, FileChannel channel, Object identity) {
    this.path = path;
    this.channel = channel;
    this.identity = identity;
  }

  /** The side file's path for a database file. */
  static Path beside(Path database) {
    return database.resolveSibling(database.getFileName() + SUFFIX);
  }

  /**
   * Opens the side file of a database, creating it with the database file's owner and permissions
   * if it is not there.
   *
   * @throws IOException if it cannot be created or opened for reading and writing
   */
  static TurnFile open(Path database) throws IOException {
    Path path = beside(database);
    try {
      Files.createFile(path);
      copyOwnerAndPermissions(database, path);
    } catch (FileAlreadyExistsException e) {
      // Another process created it; it copied the database's owner and permissions.
    }
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    try {
      return new TurnFile(path, channel, identity(path));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  private static Object identity(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * Whether another file, or none, is at the path now (someone deleted or replaced it): the
   * processes that open it from now on take turns in the new one.
   */
  boolean replaced() {
    try {
      return identity != null && !identity.equals(identity(path));
    } catch (IOException e) {
      return true;
    }
  }

  private static void copyOwnerAndPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    PosixFileAttributes database = Files.readAttributes(from, PosixFileAttributes.class);
    view.setPermissions(database.permissions());
    PosixFileAttributes created = view.readAttributes();
    if (!database.owner().equals(created.owner())) {
      try {
        view.setOwner(database.owner());
      } catch (IOException e) {
        // Only root may give a file away; any other creator is a user who may write the database.
      }
    }
    if (!database.group().equals(created.group())) {
      try {
        view.setGroup(database.group());
      } catch (IOException e) {
        // Not a member of the database's group: the file keeps the creator's.
      }
    }
  }

  /**
   * Takes the next ticket and locks its slot's byte, both under the counter's lock, so that no
   * successor can find the byte free before this process holds it.
   */
  long takeTicket() throws IOException {
    FileLock counter = channel.lock(COUNTER, 8, false);
    try {
      long ticket = read(COUNTER);
      if (ticket < 0) {
        throw new IOException(path + " holds no ticket counter this library wrote: " + ticket);
      }
      write(COUNTER, ticket + 1);
      write(done(ticket), 0);
      FileLock own = channel.tryLock(LOCK_BASE + slot(ticket), 1, false);
      if (own == null) {
        throw new IOException(
            "the slot of ticket "
                + ticket
                + " in "
                + path
                + " is still locked: more than "
                + (SLOTS - 1)
                + " processes waiting at once");
      }
      mine = own;
      return ticket;
    } finally {
      counter.release();
    }
  }

  /**
   * Blocks until every ticket before this one has ended its turn or its process has died. Returns
   * at once when the predecessor has ended already.
   */
  void awaitPredecessors(long ticket) throws IOException {
    for (long before = ticket - 1; before >= 0 && before > ticket - SLOTS; before--) {
      if (ended(before)) {
        return;
      }
      // Free only once `before` ended its turn or died: the kernel wakes this one waiter then.
      waitForByte(LOCK_BASE + slot(before));
      if (ended(before)) {
        return;
      }
      // No mark: its process died. Wait for whoever was before it.
    }
  }

  /**
   * Locks and releases one byte, waiting for its holder. Linux checks blocking record locks for
   * deadlock across every file of a process: this process waiting on another in one database's side
   * file while that one asks for this one's byte in another database's reads as a cycle, and the
   * kernel refuses with EDEADLK though nothing is stuck. Asked again a moment later, the wait goes
   * on.
   */
  private void waitForByte(long position) throws IOException {
    while (true) {
      try {
        channel.lock(position, 1, false).release();
        return;
      } catch (ClosedChannelException e) {
        throw e;
      } catch (IOException e) {
        if (e.getMessage() == null
            || !e.getMessage().toLowerCase(Locale.ROOT).contains("deadlock")) {
          throw e;
        }
        LockSupport.parkNanos(DEADLOCK_RETRY_NANOS);
      }
    }
  }

  /**
   * Gives up a ticket whose turn never came, without a done mark: its successor then waits for the
   * tickets before it, as after a process that died.
   */
  void abandon() {
    FileLock own = mine;
    mine = null;
    if (own != null) {
      try {
        own.release();
      } catch (IOException e) {
        // The file is closed: closing released the byte.
      }
    }
  }

  /** Ends the turn of a ticket: its mark, then its byte, which wakes its successor. */
  void endTurn(long ticket) throws IOException {
    try {
      write(done(ticket), ticket + 1);
    } finally {
      FileLock own = mine;
      mine = null;
      if (own != null) {
        own.release();
      }
    }
  }

  /** Whether a process took a ticket after this one. */
  boolean othersWaitingBehind(long ticket) throws IOException {
    return read(COUNTER) > ticket + 1;
  }

  private boolean ended(long ticket) throws IOException {
    return read(done(ticket)) == ticket + 1;
  }

  private long read(long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        return 0; // past the end: never written
      }
    }
    return buffer.getLong(0);
  }

  private void write(long position, long value) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8).putLong(0, value);
    while (buffer.hasRemaining()) {
      channel.write(buffer, position + buffer.position());
    }
  }

  private static long done(long ticket) {
    return DONE_BASE + 8L * slot(ticket);
  }

  private static int slot(long ticket) {
    return (int) (ticket % SLOTS);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
