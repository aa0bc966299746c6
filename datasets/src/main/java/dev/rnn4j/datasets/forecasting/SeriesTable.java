package dev.rnn4j.datasets.forecasting;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Many series by id, in order, as the M4 competition publishes them ("wide" layout): a header row, then one series
 * per row, its id in the first column and its values after it in time order, rows padded with empty cells (read with
 * Apache Commons CSV).
 *
 * <pre>{@code
 * SeriesTable train = SeriesTable.readWide(Path.of("data/m4/Hourly-train.csv"));
 * double[] h1 = train.series("H1");
 * }</pre>
 *
 * @param ids    the series' ids, in file order
 * @param values each series' values, in the same order
 */
public record SeriesTable(List<String> ids, List<double[]> values) {

    public SeriesTable {
        ids = List.copyOf(ids);
        values = List.copyOf(values);
    }

    public int size() {
        return ids.size();
    }

    /**
     * The values of series {@code id}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public double[] series(String id) {
        int i = ids.indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("no series '" + id + "'");
        }
        return values.get(i);
    }

    /**
     * Reads the wide layout. Empty cells end a row's series (padding); a value after an empty cell, a cell that is not
     * a finite number, a repeated id or a row without values is refused.
     *
     * @throws IllegalArgumentException one line naming the file, the line, the series and the column
     */
    public static SeriesTable readWide(Path file) {
        Map<String, double[]> series = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setSkipHeaderRecord(false).build().parse(in)) {
            boolean header = true;
            for (CSVRecord row : csv) {
                if (header) {
                    header = false;
                    continue;
                }
                String where = file + ", line " + csv.getCurrentLineNumber();
                String id = row.get(0).trim();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(where + ": the first column (the series id) is empty");
                }
                List<Double> v = new ArrayList<>();
                boolean ended = false;
                for (int c = 1; c < row.size(); c++) {
                    String cell = row.get(c).trim();
                    if (cell.isEmpty()) {
                        ended = true;
                        continue;
                    }
                    if (ended) {
                        throw new IllegalArgumentException(where + ", series " + id + ", column " + (c + 1)
                                + ": a value after an empty cell (only the end of a row may be empty)");
                    }
                    double d;
                    try {
                        d = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(where + ", series " + id + ", column " + (c + 1) + ": '"
                                + cell + "' is not a number");
                    }
                    if (!Double.isFinite(d)) {
                        throw new IllegalArgumentException(where + ", series " + id + ", column " + (c + 1) + ": "
                                + cell + " is not a finite number");
                    }
                    v.add(d);
                }
                if (v.isEmpty()) {
                    throw new IllegalArgumentException(where + ", series " + id + ": no values");
                }
                if (series.put(id, v.stream().mapToDouble(Double::doubleValue).toArray()) != null) {
                    throw new IllegalArgumentException(where + ": series " + id + " appears twice");
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": not a readable CSV file (" + e.getMessage() + ")");
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(file + ": no series (a header row, then one series per row)");
        }
        return new SeriesTable(new ArrayList<>(series.keySet()), new ArrayList<>(series.values()));
    }
}
