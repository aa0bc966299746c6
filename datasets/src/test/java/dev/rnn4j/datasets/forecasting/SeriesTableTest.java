package dev.rnn4j.datasets.forecasting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wide layout read, its padding understood, bad cells refused naming file, line, series and column. */
class SeriesTableTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsSeriesOfDifferentLengths() throws IOException {
        SeriesTable t = SeriesTable.readWide(write("\"V1\",\"V2\",\"V3\",\"V4\"\n\"A\",\"1\",\"2.5\",\"3\"\n\"B\",\"4\",\"\",\"\"\n"));
        assertEquals(java.util.List.of("A", "B"), t.ids());
        assertArrayEquals(new double[] {1, 2.5, 3}, t.series("A"));
        assertArrayEquals(new double[] {4}, t.series("B"));
    }

    @Test
    void badFilesAreOneLineNamingWhere() throws IOException {
        String[][] cases = {
            {"V1,V2,V3\nA,1,x\n", "line 2, series A, column 3: 'x' is not a number"},
            {"V1,V2,V3,V4\nA,1,,3\n", "line 2, series A, column 4: a value after an empty cell"},
            {"V1,V2\nA,NaN\n", "line 2, series A, column 2: NaN is not a finite number"},
            {"V1,V2\nA,1\nA,2\n", "line 3: series A appears twice"},
            {"V1,V2\nA,\n", "line 2, series A: no values"},
            {"V1,V2\n", "no series"},
        };
        for (String[] c : cases) {
            Path f = write(c[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeriesTable.readWide(f));
            assertEquals(true, e.getMessage().startsWith(f.toString()) && e.getMessage().contains(c[1]),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SeriesTable.readWide(dir.resolve("missing.csv")));
    }

    /** The long layout: rows in any order, ordered by time within each series (numbers, dates, date-times). */
    @Test
    void readsTheLongLayout() throws IOException {
        Path f = write("region,hour,load\nB,2020-01-01 01:00,7\nA,3,30\nA,1,10\nB,2020-01-01T00:00,6\nA,2,20\n");
        SeriesTable t = SeriesTable.readLong(f, "region", "hour", "load");
        assertEquals(java.util.List.of("B", "A"), t.ids(), "in the order of each series' first row");
        assertArrayEquals(new double[] {6, 7}, t.series("B"));
        assertArrayEquals(new double[] {10, 20, 30}, t.series("A"));
        String[][] cases = {
            {"region,hour,load\nA,1,x\n", "line 2, series A, column 'load': 'x' is not a number"},
            {"region,hour,load\nA,noon,1\n", "series A, column 'hour': 'noon' is neither a number nor an ISO date"},
            {"region,hour,load\nA,1,1\nA,1,2\n", "lines 2 and 3, series A: the same time twice"},
            {"region,hour,power\nA,1,1\n", "no column 'load'; the columns are region, hour, power"},
        };
        for (String[] c : cases) {
            Path bad = write(c[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SeriesTable.readLong(bad, "region", "hour", "load"));
            assertEquals(true, e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void maseIsRefusedWhereItIsUndefined() {
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.scale(new double[] {1, 2, 1, 2, 1, 2}, 2));
        assertEquals(true, flat.getMessage().contains("MASE's scale is 0"), flat.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.scale(new double[] {1, 2}, 2));
        assertArrayEquals(new double[] {0, 200}, Accuracy.smape(new double[] {0, 1}, new double[] {0, -1}), 1e-12);
    }
}
