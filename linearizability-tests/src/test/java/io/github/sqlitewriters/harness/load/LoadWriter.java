package io.github.sqlitewriters.harness.load;

import io.github.sqlitewriters.SqliteSettings;
import io.github.sqlitewriters.Strategies;
import io.github.sqlitewriters.WriteExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Submits a large number of writes from many threads through one strategy, without waiting for
 * each, counting every future's outcome, while sampling the heap. Run in its own JVM with a small
 * -Xmx, so that an unbounded queue would end it with OutOfMemoryError. Prints {@code RESULT
 * committed=N failed=N maxHeapMb=N}.
 *
 * <p>Arguments: database path, strategy, threads, total writes.
 */
public final class LoadWriter {
  private LoadWriter() {}

  public static void main(String[] args) throws Exception {
    SqliteSettings settings = SqliteSettings.builder(Path.of(args[0])).build();
    int threads = Integer.parseInt(args[2]);
    long total = Long.parseLong(args[3]);
    LongAdder committed = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicLong maxHeap = new AtomicLong();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    try (WriteExecutor executor = Strategies.open(args[1], settings)) {
      Thread[] submitters = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        long from = total * t / threads;
        long to = total * (t + 1) / threads;
        submitters[t] =
            new Thread(
                () -> {
                  for (long k = from; k < to; k++) {
                    long key = k;
                    executor
                        .submit(
                            c -> {
                              try (PreparedStatement insert =
                                  c.prepareStatement("INSERT INTO t(k) VALUES (?)")) {
                                insert.setLong(1, key);
                                return insert.executeUpdate();
                              }
                            })
                        .whenComplete(
                            (result, error) -> {
                              if (error == null) {
                                committed.increment();
                              } else {
                                failed.increment();
                              }
                            });
                  }
                });
        submitters[t].start();
      }
      for (Thread submitter : submitters) {
        submitter.join();
      }
      while (committed.sum() + failed.sum() < total) {
        Thread.sleep(10);
      }
    }
    sampler.interrupt();
    System.out.println(
        "RESULT committed="
            + committed.sum()
            + " failed="
            + failed.sum()
            + " maxHeapMb="
            + maxHeap.get() / (1024 * 1024)
            + " xmxMb="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
