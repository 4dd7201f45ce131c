package io.github.sqlitewriters.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The several-process cell on a tiny run, through JMH as the Sweep runs it: four child JVMs with
 * two threads each write to one file, each through another writer (strategy=mixed: group-commit,
 * immediate, serialized-writer, the DataSource), taking turns. The trial itself fails if the rows
 * in the file differ from the writes the children saw commit; here the counters must show writes
 * from every process, no failure, and a latency.
 */
class SeveralProcessesTest {

  @Test
  void fourProcessesOfFourWritersWriteAndEveryReportedWriteIsInTheFile() throws Exception {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(SeveralProcesses.class.getName() + "\\.")
                    .param("strategy", SeveralProcesses.MIXED)
                    .param("processes", "4")
                    .param("threadsPerProcess", "2")
                    .param("synchronous", "NORMAL")
                    .forks(0)
                    .warmupIterations(1)
                    // Past the processes' first second: their first transactions, cold, take
                    // their turns one after another, and a 1 s window right after start saw 3
                    // to 185 writes/s and a process with none.
                    .warmupTime(TimeValue.seconds(3))
                    .measurementIterations(1)
                    .measurementTime(TimeValue.seconds(1))
                    .shouldFailOnError(true)
                    .build())
            .run();
    assertEquals(1, results.size());
    var secondary = results.iterator().next().getSecondaryResults();
    assertTrue(score(secondary.get("committed")) > 0, "no writes committed");
    assertEquals(0, score(secondary.get("busyFailures")));
    assertEquals(0, score(secondary.get("otherFailures")));
    assertTrue(score(secondary.get("p999Micros")) > 0, "no latency recorded");
    // With turns every process writes; without them one could get nothing in a 1 s iteration.
    assertTrue(score(secondary.get("slowestProcessPercent")) > 0, "a process wrote nothing");
  }

  private static double score(Result<?> result) {
    return result.getScore();
  }
}
