package io.github.sqlitewriters.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table built row by row; numbers right-aligned so columns compare at a glance. */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = Arrays.asList(header);
  }

  MarkdownTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  MarkdownTable row(String... cells) {
    return row(Arrays.asList(cells));
  }

  MarkdownTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, header " + header.size());
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    text.append("| ").append(String.join(" | ", header)).append(" |\n");
    text.append('|');
    for (int i = 0; i < header.size(); i++) {
      text.append(i == 0 ? "---|" : "---:|");
    }
    text.append('\n');
    for (List<String> row : rows) {
      text.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return text.toString();
  }

  /** A count or rate with thousands separators and no false precision. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (Math.abs(value) >= 100) {
      return String.format("%,.0f", value);
    }
    if (Math.abs(value) >= 10) {
      return String.format("%.1f", value);
    }
    return String.format("%.2f", value);
  }

  static String ratio(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format("%.2fx", value);
  }
}
