package dev.kindling.bench.results;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary of a cell over repeated runs: medians of every figure, the min-max of the first. */
class CellSummaryTest {

    @Test
    void numericCellsBecomeTheMedianOfTheRunsWithTheirSpread() {
        CellSummary s = CellSummary.of(List.of("12.0 (14.1)", "11.0 (15.3)", "13.5 (13.9)"));
        assertEquals("12.0 (14.1) [11.0-13.5]", s.text());
        assertEquals(12.0, s.median());
        assertEquals(11.0, s.min());
        assertEquals(13.5, s.max());
    }

    @Test
    void anEvenNumberOfRunsTakesTheMeanOfTheMiddleTwoAndKeepsTheUnit() {
        CellSummary s = CellSummary.of(List.of("80%", "90%", "70%", "100%"));
        assertEquals("85% [70%-100%]", s.text());
        assertEquals("1.25x [1.10x-1.40x]", CellSummary.of(List.of("1.40x", "1.10x")).text());
    }

    @Test
    void wordsAreCountedAndMissingRowsSaid() {
        assertEquals("met 2/3, MISSED (1.31x) 1/3", CellSummary.of(List.of("met", "MISSED (1.31x)", "met")).text());
        CellSummary partial = CellSummary.of(Arrays.asList("2.0", null, "4.0"));
        assertEquals("3.0 [2.0-4.0] (2 runs)", partial.text());
        assertFalse(CellSummary.of(List.of("—", "—")).numeric());
    }

    @Test
    void rowsOfRepeatedRunsAreMatchedByCaseName() {
        MarkdownReport a = MarkdownReport.parse(List.of("### t", "", "| case | Kindling / P |", "|---|---|", "| x | 90% |", "| y | 50% |"));
        MarkdownReport b = MarkdownReport.parse(List.of("### t", "", "| case | Kindling / P |", "|---|---|", "| y | 70% |", "| x | 110% |"));
        SummaryTable t = SummaryTable.of(List.of(a.tables().get(0), b.tables().get(0)));
        assertEquals(List.of("x", "y"), t.cases());
        assertEquals("100% [90%-110%]", t.cell(0, 1).text());
        assertEquals("60% [50%-70%]", t.cell(1, 1).text());
        assertEquals("t", t.heading());
        assertTrue(t.cell(1, 1).numeric());
    }

    @Test
    void rowsOfTheSameNameAreKeptApartByTheirOrder() {
        MarkdownReport a = MarkdownReport.parse(List.of("### t", "", "| case | mode | ms |", "|---|---|---|", "| m | sync | 20 |", "| m | local | 4 |"));
        MarkdownReport b = MarkdownReport.parse(List.of("### t", "", "| case | mode | ms |", "|---|---|---|", "| m | sync | 30 |", "| m | local | 6 |"));
        SummaryTable t = SummaryTable.of(List.of(a.tables().get(0), b.tables().get(0)));
        assertEquals(List.of("m", "m"), t.cases());
        assertEquals("sync", t.cell(0, 1).text());
        assertEquals("25 [20-30]", t.cell(0, 2).text());
        assertEquals("local", t.cell(1, 1).text());
        assertEquals("5 [4-6]", t.cell(1, 2).text());
    }
}
