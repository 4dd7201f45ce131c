import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 24's design probe: how do turns between processes behave under three mechanisms, with no
 * SQLite in the way? N child JVMs each loop for S seconds: ask for the turn, hold it for H µs (a
 * transaction), give it back, ask again at once (the case where SQLite's busy handler lets the
 * process that just committed take the lock again). Each child reports its turns, its waits and,
 * when it had been waiting, how long after the previous holder's release it got the turn (the
 * hand-off; System.nanoTime is CLOCK_MONOTONIC, the same clock in every process here).
 *
 * <p>Modes: {@code lock} one byte of a side file with FileChannel.lock (fcntl F_SETLKW; the kernel
 * wakes waiters on release); {@code poll} a ticket counter in a memory-mapped file, waiters polling
 * "now serving" every 50 µs; {@code chain} a ticket counter (taken under a short fcntl lock) plus one
 * locked byte per ticket: a process holds the byte of its own ticket while it waits and holds the
 * turn, and waits by locking its predecessor's byte, so exactly one waiter wakes, in ticket order,
 * and a dead process's bytes are released by the kernel.
 *
 * <p>Run: {@code java TurnsProbe.java MODE PROCESSES SECONDS HOLD_MICROS}; {@code MODE+kill}
 * SIGKILLs one child halfway through and reports the survivors. Not part of the build.
 */
public class TurnsProbe {
  static final int SLOTS = 1 << 16;
  static final long COUNTER = 0; // next ticket
  static final long SERVING = 8; // ticket now served (poll mode)
  static final long RELEASED_AT = 16; // nanoTime of the last release
  static final long DONE_BASE = 64; // one byte per slot: 1 once that ticket's turn ended normally

  public static void main(String[] args) throws Exception {
    if (args[0].equals("child")) {
      child(args[1], Path.of(args[2]), Long.parseLong(args[3]), args[4]);
      return;
    }
    boolean kill = args[0].endsWith("+kill");
    String mode = args[0].replace("+kill", "");
    int processes = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    long holdMicros = Long.parseLong(args[3]);
    Path dir = Files.createTempDirectory("turns-probe");
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("state").toFile(), "rw")) {
      f.setLength(DONE_BASE + SLOTS);
    }
    Files.createFile(dir.resolve("locks"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String source = Path.of(System.getProperty("jdk.launcher.sourcefile", "TurnsProbe.java")).toString();
    List<Process> children = new ArrayList<>();
    // Every child compiled and waiting by then (the source is compiled in each JVM).
    long startAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3 + processes);
    for (int i = 0; i < processes; i++) {
      children.add(
          new ProcessBuilder(
                  java, source, "child", mode, dir.toString(), Long.toString(startAt),
                  Long.toString(TimeUnit.SECONDS.toNanos(seconds)) + ":" + holdMicros)
              .redirectErrorStream(true)
              .start());
    }
    List<long[]> results = new ArrayList<>();
    if (kill) {
      // SIGKILL the first child halfway through: it dies holding or waiting for a turn, and the
      // survivors' longest wait says whether the kernel's release of its locks freed them.
      long killAt = startAt + TimeUnit.SECONDS.toNanos(seconds) / 2;
      while (System.nanoTime() < killAt) {
        Thread.sleep(1);
      }
      children.remove(0).destroyForcibly().waitFor();
      processes--;
    }
    for (Process p : children) {
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      String last = out.substring(out.lastIndexOf('\n') + 1);
      long[] r = Arrays.stream(last.split(" ")).mapToLong(Long::parseLong).toArray();
      results.add(r);
    }
    long total = results.stream().mapToLong(r -> r[0]).sum();
    long slowest = results.stream().mapToLong(r -> r[0]).min().orElse(0);
    long longestWaitMicros = results.stream().mapToLong(r -> r[1]).max().orElse(0);
    long p99WaitMicros = results.stream().mapToLong(r -> r[2]).max().orElse(0);
    long handoffP50 = results.stream().mapToLong(r -> r[3]).max().orElse(0);
    long handoffP99 = results.stream().mapToLong(r -> r[4]).max().orElse(0);
    double average = (double) total / processes;
    System.out.printf(
        "%s%s %d processes, hold %d us, %d s: %d turns/s; slowest process %.0f %% of the average share;"
            + " longest wait %d us; worst process p99 wait %d us; hand-off p50 %d us, p99 %d us%n",
        mode, kill ? " (one more killed halfway)" : "", processes, holdMicros, seconds,
        total / seconds, 100 * slowest / average,
        longestWaitMicros, p99WaitMicros, handoffP50, handoffP99);
  }

  static void child(String mode, Path dir, long startAt, String timing) throws Exception {
    long runNanos = Long.parseLong(timing.split(":")[0]);
    long holdNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(timing.split(":")[1]));
    try (FileChannel state = FileChannel.open(dir.resolve("state"), java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
        FileChannel locks = FileChannel.open(dir.resolve("locks"), java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      MappedByteBuffer shared = state.map(FileChannel.MapMode.READ_WRITE, 0, DONE_BASE + SLOTS);
      Turns turns =
          switch (mode) {
            case "lock" -> new LockTurns(locks);
            case "poll" -> new PollTurns(shared, state);
            case "chain" -> new ChainTurns(shared, state, locks);
            default -> throw new IllegalArgumentException(mode);
          };
      while (System.nanoTime() < startAt) {
        Thread.sleep(1);
      }
      long end = startAt + runNanos;
      long[] waits = new long[1 << 22];
      long[] handoffs = new long[1 << 22];
      int n = 0;
      int h = 0;
      while (System.nanoTime() < end) {
        long asked = System.nanoTime();
        turns.take();
        long granted = System.nanoTime();
        long releasedAt = shared.getLong((int) RELEASED_AT);
        if (releasedAt > asked && n < waits.length) {
          handoffs[h++] = granted - releasedAt; // it waited for a release: the hand-off
        }
        waits[n++] = granted - asked;
        long until = granted + holdNanos;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        shared.putLong((int) RELEASED_AT, System.nanoTime());
        turns.give();
      }
      Arrays.sort(waits, 0, n);
      Arrays.sort(handoffs, 0, h);
      System.out.println(
          n + " " + waits[n - 1] / 1000 + " " + waits[(int) (n * 0.99)] / 1000 + " "
              + (h == 0 ? 0 : handoffs[h / 2] / 1000) + " "
              + (h == 0 ? 0 : handoffs[(int) (h * 0.99)] / 1000));
    }
  }

  interface Turns {
    void take() throws IOException;

    void give() throws IOException;
  }

  /** One byte of a side file, locked with fcntl: whoever the kernel lets in next. */
  static final class LockTurns implements Turns {
    private final FileChannel locks;
    private FileLock held;

    LockTurns(FileChannel locks) {
      this.locks = locks;
    }

    public void take() throws IOException {
      held = locks.lock(0, 1, false);
    }

    public void give() throws IOException {
      held.release();
    }
  }

  /** A ticket counter in shared memory, taken under a short fcntl lock; waiters poll. */
  static final class PollTurns implements Turns {
    private final MappedByteBuffer shared;
    private final FileChannel state;
    private long ticket;

    PollTurns(MappedByteBuffer shared, FileChannel state) {
      this.shared = shared;
      this.state = state;
    }

    public void take() throws IOException {
      try (FileLock counter = state.lock(COUNTER, 8, false)) {
        ticket = shared.getLong((int) COUNTER);
        shared.putLong((int) COUNTER, ticket + 1);
      }
      while (shared.getLong((int) SERVING) != ticket) {
        LockSupport.parkNanos(50_000);
      }
    }

    public void give() {
      shared.putLong((int) SERVING, ticket + 1);
    }
  }

  /**
   * Tickets plus one locked byte per ticket: hold your own byte, wait on your predecessor's. The
   * kernel wakes exactly the one waiter, in ticket order, and releases a dead process's bytes.
   */
  static final class ChainTurns implements Turns {
    private final MappedByteBuffer shared;
    private final FileChannel state;
    private final FileChannel locks;
    private long ticket;
    private FileLock mine;

    ChainTurns(MappedByteBuffer shared, FileChannel state, FileChannel locks) {
      this.shared = shared;
      this.state = state;
      this.locks = locks;
    }

    public void take() throws IOException {
      try (FileLock counter = state.lock(COUNTER, 8, false)) {
        ticket = shared.getLong((int) COUNTER);
        shared.putLong((int) COUNTER, ticket + 1);
        shared.put((int) (DONE_BASE + ticket % SLOTS), (byte) 0);
        mine = locks.lock(ticket % SLOTS, 1, false); // free: its last holder is long done
      }
      // Wait for the predecessors: the first whose turn ended normally closes the chain; a dead
      // one's byte was released by the kernel, so look one further back.
      for (long before = ticket - 1; before >= 0 && before > ticket - SLOTS; before--) {
        if (shared.get((int) (DONE_BASE + before % SLOTS)) == 1) {
          break;
        }
        locks.lock(before % SLOTS, 1, false).release();
        if (shared.get((int) (DONE_BASE + before % SLOTS)) == 1) {
          break;
        }
      }
    }

    public void give() throws IOException {
      shared.put((int) (DONE_BASE + ticket % SLOTS), (byte) 1);
      mine.release();
    }
  }
}
