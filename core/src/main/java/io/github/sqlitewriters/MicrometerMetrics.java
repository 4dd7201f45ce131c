package io.github.sqlitewriters;

import io.github.sqlitewriters.internal.executor.AbstractExecutor;
import io.github.sqlitewriters.internal.executor.WriterThreadExecutor;
import io.github.sqlitewriters.internal.stats.StatsRecorder;
import io.github.sqlitewriters.internal.stats.WriteObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link WriteExecutor}'s, an {@link ImmediateDataSource}'s or a {@link
 * GroupCommitDataSource}'s work through Micrometer, the way HikariCP publishes its pool: an
 * executor that runs in production should be watched like one. Micrometer is an optional dependency
 * of core: only applications that use this class need it on their class path, and those that
 * publish meters have it already.
 *
 * <p>Every meter is named {@code sqlite.writers.*} and tagged with {@code name} (the one given
 * here, like a pool's name) and {@code strategy}:
 *
 * <ul>
 *   <li>gauges {@code queue.depth} (callers waiting for the writer or a turn) and {@code in.flight}
 *       (handed in, not yet ended);
 *   <li>timers {@code queue.wait}, {@code run} (a transaction from BEGIN to COMMIT), {@code commit}
 *       and {@code end.to.end} (a task from its call to its outcome), with p50, p99 and p99.9;
 *   <li>a distribution {@code writes.per.commit};
 *   <li>counters {@code tasks.committed}, {@code tasks.failed}, {@code transactions.committed},
 *       {@code transactions.rolled.back}, {@code busy.retries}, {@code busy.failures}, {@code
 *       queue.full} and {@code connections.reopened}, read from {@link ExecutorStats};
 *   <li>for the writer-thread strategies, which run a {@link CheckpointPolicy}: the gauge {@code
 *       wal.bytes} and the counters {@code checkpoints.completed} and {@code
 *       checkpoints.incomplete}.
 * </ul>
 *
 * <p>Timers cost a little per task while bound (a clock read and a histogram update); an executor
 * no binder watches pays one volatile read per event.
 */
public final class MicrometerMetrics implements MeterBinder {
  private static final String PREFIX = "sqlite.writers.";

  private final StatsRecorder stats;
  private final IntSupplier queueDepth;
  private final Tags tags;
  private final boolean checkpoints;

  private MicrometerMetrics(
      StatsRecorder stats,
      IntSupplier queueDepth,
      String name,
      String strategy,
      boolean checkpoints) {
    this.stats = stats;
    this.queueDepth = queueDepth;
    this.checkpoints = checkpoints;
    this.tags = Tags.of("name", Objects.requireNonNull(name, "name"), "strategy", strategy);
  }

  /**
   * Meters for an executor opened by {@link Strategies}.
   *
   * @param name tells this executor's meters apart from another's, e.g. the database's role
   * @throws IllegalArgumentException for an executor this library did not open
   */
  public static MicrometerMetrics of(WriteExecutor executor, String name) {
    if (!(executor instanceof AbstractExecutor)) {
      throw new IllegalArgumentException(
          "not an executor of this library: " + executor.getClass().getName());
    }
    AbstractExecutor ours = (AbstractExecutor) executor;
    return new MicrometerMetrics(
        ours.stats, ours::queueDepth, name, ours.name(), ours instanceof WriterThreadExecutor);
  }

  /** Meters for a DataSource; its queue depth is the writers waiting for their turn. */
  public static MicrometerMetrics of(ImmediateDataSource dataSource, String name) {
    return of(dataSource, name, ImmediateDataSource.NAME);
  }

  /** Meters for a DataSource; its queue depth is the writers waiting for their turn. */
  public static MicrometerMetrics of(GroupCommitDataSource dataSource, String name) {
    return of(dataSource, name, GroupCommitDataSource.NAME);
  }

  private static MicrometerMetrics of(PoolDataSource dataSource, String name, String strategy) {
    return new MicrometerMetrics(
        dataSource.pool.recorder(), dataSource.pool::waiting, name, strategy, false);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauges(registry);
    Timer queueWait = timer(registry, "queue.wait", "From a call to the start of its work");
    Timer run = timer(registry, "run", "A transaction, from BEGIN IMMEDIATE to COMMIT");
    Timer commit = timer(registry, "commit", "One COMMIT");
    Timer endToEnd = timer(registry, "end.to.end", "From a call to its outcome");
    DistributionSummary perCommit =
        DistributionSummary.builder(PREFIX + "writes.per.commit")
            .tags(tags)
            .description("Callers' works made durable by one COMMIT")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    counters(registry);
    stats.observe(
        new WriteObserver() {
          @Override
          public void queueWait(long nanos) {
            queueWait.record(nanos, TimeUnit.NANOSECONDS);
          }

          @Override
          public void committed(int tasks, long runNanos, long commitNanos) {
            run.record(runNanos, TimeUnit.NANOSECONDS);
            commit.record(commitNanos, TimeUnit.NANOSECONDS);
            perCommit.record(tasks);
          }

          @Override
          public void finished(long endToEndNanos) {
            endToEnd.record(endToEndNanos, TimeUnit.NANOSECONDS);
          }
        });
  }

  /** The levels: callers waiting, tasks in flight, and the WAL's size where a policy watches it. */
  private void gauges(MeterRegistry registry) {
    Gauge.builder(PREFIX + "queue.depth", queueDepth, IntSupplier::getAsInt)
        .tags(tags)
        .description("Callers waiting for the writer or for a write turn")
        .register(registry);
    Gauge.builder(PREFIX + "in.flight", stats, StatsRecorder::inFlight)
        .tags(tags)
        .description("Tasks handed in and not yet ended")
        .register(registry);
    if (checkpoints) {
      Gauge.builder(PREFIX + "wal.bytes", stats, s -> s.snapshot().walBytes())
          .tags(tags)
          .description("The WAL file's size when the writer last looked; -1 before it looks")
          .baseUnit("bytes")
          .register(registry);
    }
  }

  private Timer timer(MeterRegistry registry, String name, String description) {
    return Timer.builder(PREFIX + name)
        .tags(tags)
        .description(description)
        .publishPercentiles(0.5, 0.99, 0.999)
        .register(registry);
  }

  private void counters(MeterRegistry registry) {
    counter(registry, "tasks.committed", ExecutorStats::tasksCommitted);
    counter(registry, "tasks.failed", ExecutorStats::tasksFailed);
    counter(registry, "transactions.committed", ExecutorStats::transactionsCommitted);
    counter(registry, "transactions.rolled.back", ExecutorStats::transactionsRolledBack);
    counter(registry, "busy.retries", ExecutorStats::busyRetries);
    counter(registry, "busy.failures", ExecutorStats::busyFailures);
    counter(registry, "queue.full", ExecutorStats::queueFullRefusals);
    counter(registry, "connections.reopened", ExecutorStats::connectionsReopened);
    if (checkpoints) {
      counter(registry, "checkpoints.completed", ExecutorStats::checkpointsCompleted);
      counter(registry, "checkpoints.incomplete", ExecutorStats::checkpointsIncomplete);
    }
  }

  private void counter(MeterRegistry registry, String name, ToLongFunction<ExecutorStats> count) {
    FunctionCounter.builder(PREFIX + name, stats, s -> count.applyAsLong(s.snapshot()))
        .tags(tags)
        .register(registry);
  }
}
