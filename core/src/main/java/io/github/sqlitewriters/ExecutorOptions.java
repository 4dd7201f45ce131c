package io.github.sqlitewriters;

import java.time.Duration;
import java.util.Objects;

/**
 * How an executor schedules work, as opposed to how SQLite is set up ({@link SqliteSettings}):
 * queue bounds, batch size, retry deadline, pool sizes and WAL checkpoints. Immutable, validated
 * once by its {@link Builder}; every strategy reads the options that apply to it and ignores the
 * rest.
 */
public final class ExecutorOptions {

  private final int queueCapacity;
  private final Duration submitTimeout;
  private final int maxBatchSize;
  private final Duration busyDeadline;
  private final int readerConnections;
  private final int maxConnections;
  private final CheckpointPolicy checkpointPolicy;
  private final boolean processTurns;

  private ExecutorOptions(Builder builder) {
    this.queueCapacity = builder.queueCapacity;
    this.submitTimeout = builder.submitTimeout;
    this.maxBatchSize = builder.maxBatchSize;
    this.busyDeadline = builder.busyDeadline;
    this.readerConnections = builder.readerConnections;
    this.maxConnections = builder.maxConnections;
    this.checkpointPolicy = builder.checkpointPolicy;
    this.processTurns = builder.processTurns;
  }

  /**
   * Whether the writers of {@code immediate}, {@code serialized-writer}, {@code group-commit} and
   * {@code ImmediateDataSource} take turns with this library's writers of the same file in other
   * processes, through the side file {@code <database>-turns}: in arrival order, handed over at
   * once, instead of SQLite's busy handler, which serves nobody in order. Several executors of one
   * file in one process share the process's turn. Off, this executor's writers meet every other at
   * SQLite's lock only, as before turns existed: kept so that benchmarks compare both in one run.
   */
  public boolean processTurns() {
    return processTurns;
  }

  /** The defaults listed on each builder method. */
  public static ExecutorOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Tasks that may wait for the writer (or, for caller-thread strategies, for a submit thread). */
  public int queueCapacity() {
    return queueCapacity;
  }

  /**
   * How long a submitter waits for a place in a full queue before {@link WriteQueueFullException}.
   */
  public Duration submitTimeout() {
    return submitTimeout;
  }

  /** The most tasks {@code group-commit} puts in one transaction. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * How long {@code immediate}, {@code serialized-writer}, {@code group-commit} and {@code
   * deferred-retry} keep trying to take the write lock for a caller, counted from the call (time
   * spent queued counts), before {@link SqliteBusyException}. A COMMIT that meets a busy lock gets
   * a whole deadline of its own, since its work is already done.
   */
  public Duration busyDeadline() {
    return busyDeadline;
  }

  /** Connections that serve {@link WriteExecutor#read}. */
  public int readerConnections() {
    return readerConnections;
  }

  /**
   * The most write connections of the strategies that give each concurrent caller its own, and the
   * most threads that run their {@link WriteExecutor#submit} work.
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * When {@code serialized-writer} and {@code group-commit} checkpoint the WAL between batches, so
   * that it stays bounded under overlapping readers; see {@link CheckpointPolicy}.
   */
  public CheckpointPolicy checkpointPolicy() {
    return checkpointPolicy;
  }

  @Override
  public String toString() {
    return "ExecutorOptions{queueCapacity="
        + queueCapacity
        + ", submitTimeout="
        + submitTimeout
        + ", maxBatchSize="
        + maxBatchSize
        + ", busyDeadline="
        + busyDeadline
        + ", readerConnections="
        + readerConnections
        + ", maxConnections="
        + maxConnections
        + ", checkpointPolicy="
        + checkpointPolicy
        + ", processTurns="
        + processTurns
        + "}";
  }

  /** Collects options; {@link #build()} returns them. Each setter checks its own argument. */
  public static final class Builder {
    private int queueCapacity = 10_000;
    private Duration submitTimeout = Duration.ofSeconds(10);
    private int maxBatchSize = 1024;
    private Duration busyDeadline = Duration.ofSeconds(30);
    private int readerConnections = 4;
    private int maxConnections = 64;
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.defaults();
    private boolean processTurns = true;

    private Builder() {}

    /** Default 10,000. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = positive("queueCapacity", capacity);
      return this;
    }

    /** Default 10 s. */
    public Builder submitTimeout(Duration timeout) {
      this.submitTimeout = notNegative("submitTimeout", timeout);
      return this;
    }

    /** Default 1024. */
    public Builder maxBatchSize(int size) {
      this.maxBatchSize = positive("maxBatchSize", size);
      return this;
    }

    /** Default 30 s. */
    public Builder busyDeadline(Duration deadline) {
      this.busyDeadline = notNegative("busyDeadline", deadline);
      return this;
    }

    /** Default 4. */
    public Builder readerConnections(int count) {
      this.readerConnections = positive("readerConnections", count);
      return this;
    }

    /** Default 64. */
    public Builder maxConnections(int count) {
      this.maxConnections = positive("maxConnections", count);
      return this;
    }

    /** Default {@link CheckpointPolicy#defaults()}: a WAL limit of 48 MiB. */
    public Builder checkpointPolicy(CheckpointPolicy policy) {
      this.checkpointPolicy = Objects.requireNonNull(policy, "checkpointPolicy");
      return this;
    }

    /** Default true: see {@link ExecutorOptions#processTurns()}. */
    public Builder processTurns(boolean on) {
      this.processTurns = on;
      return this;
    }

    public ExecutorOptions build() {
      return new ExecutorOptions(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return value;
    }
  }
}
