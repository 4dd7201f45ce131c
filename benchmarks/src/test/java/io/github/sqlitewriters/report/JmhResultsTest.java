package io.github.sqlitewriters.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

  @Test
  void readsEveryCellWithItsParametersAndCounters() throws Exception {
    List<JmhResult> results = Fixtures.load("smoke-b");
    assertEquals(5, results.size());
    JmhResult groupCommit =
        results.stream()
            .filter(r -> r.param("strategy").equals("group-commit"))
            .findFirst()
            .orElseThrow();
    assertEquals("ContendedWriteThroughput", groupCommit.benchmark());
    assertEquals("insertOneRow", groupCommit.method());
    assertEquals("thrpt", groupCommit.mode());
    assertEquals(8, groupCommit.threads());
    assertEquals("WAL", groupCommit.param("journalMode"));
    assertEquals("FULL", groupCommit.param("synchronous"));
    assertEquals(27151.872708762923, groupCommit.secondaryScore("committed"), 1e-6);
    assertEquals("ops/s", groupCommit.unit());
    assertTrue(Double.isNaN(groupCommit.error()), "two iterations give JMH no error bound");
    assertTrue(
        Double.isNaN(groupCommit.secondaryScore("noSuchCounter")),
        "a counter the run did not record is missing, not 0");
    assertEquals("-", MarkdownTable.number(groupCommit.secondaryScore("noSuchCounter")));
    assertEquals(
        "ContendedWriteThroughput.insertOneRow t=8 journalMode=WAL strategy=group-commit synchronous=FULL",
        groupCommit.key());
  }

  @Test
  void rejectsWhatIsNotJmhOutput() {
    assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("{\"benchmark\": 1}"));
  }
}
