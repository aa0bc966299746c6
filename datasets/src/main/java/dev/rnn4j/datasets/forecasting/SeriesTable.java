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
     * Reads the long layout: a header row, then one row per series and time step, in any order; {@code idColumn} names
     * the series, {@code timeColumn} orders its values (numbers, ISO dates or ISO date-times), {@code valueColumn}
     * holds them. Series come in the order of their first row.
     *
     * @throws IllegalArgumentException one line naming the file, the line, the series and the column: a missing
     *                                  column, an empty or non-numeric value, a time that orders nothing, a time twice
     */
    public static SeriesTable readLong(Path file, String idColumn, String timeColumn, String valueColumn) {
        Map<String, List<double[]>> rows = new LinkedHashMap<>(); // id -> {time, value} in file order
        parse(file, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build(), csv -> {
            for (String column : new String[] {idColumn, timeColumn, valueColumn}) {
                if (!csv.getHeaderMap().containsKey(column)) {
                    throw new IllegalArgumentException(file + ": no column '" + column + "'; the columns are "
                            + String.join(", ", csv.getHeaderNames()));
                }
            }
            for (CSVRecord row : csv) {
                String where = file + ", line " + csv.getCurrentLineNumber();
                String id = row.get(idColumn).trim();
                String timeCell = row.get(timeColumn).trim();
                String cell = row.get(valueColumn).trim();
                double time = dev.rnn4j.datasets.CsvSeries.timeKey(timeCell);
                if (Double.isNaN(time)) {
                    throw new IllegalArgumentException(where + ", series " + id + ", column '" + timeColumn + "': '"
                            + timeCell + "' is neither a number nor an ISO date or date-time, so it cannot order the rows");
                }
                double v = value(cell, where + ", series " + id + ", column '" + valueColumn + "'");
                rows.computeIfAbsent(id, k -> new ArrayList<>()).add(new double[] {time, v, csv.getCurrentLineNumber()});
            }
        });
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rows (a header row, then one row per series and time)");
        }
        List<double[]> values = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : rows.entrySet()) {
            List<double[]> r = new ArrayList<>(e.getValue());
            r.sort(java.util.Comparator.comparingDouble(x -> x[0]));
            for (int i = 1; i < r.size(); i++) {
                if (r.get(i)[0] == r.get(i - 1)[0]) {
                    throw new IllegalArgumentException(file + ", lines " + (long) r.get(i - 1)[2] + " and "
                            + (long) r.get(i)[2] + ", series " + e.getKey() + ": the same time twice");
                }
            }
            values.add(r.stream().mapToDouble(x -> x[1]).toArray());
        }
        return new SeriesTable(new ArrayList<>(rows.keySet()), values);
    }

    /**
     * Reads the wide layout. Empty cells end a row's series (padding); a value after an empty cell, a cell that is not
     * a finite number, a repeated id or a row without values is refused.
     *
     * @throws IllegalArgumentException one line naming the file, the line, the series and the column
     */
    public static SeriesTable readWide(Path file) {
        Map<String, double[]> series = new LinkedHashMap<>();
        parse(file, CSVFormat.DEFAULT, csv -> {
            for (CSVRecord row : csv) {
                if (row.getRecordNumber() == 1) {
                    continue; // the header row
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
                    v.add(value(cell, where + ", series " + id + ", column " + (c + 1)));
                }
                if (v.isEmpty()) {
                    throw new IllegalArgumentException(where + ", series " + id + ": no values");
                }
                if (series.put(id, v.stream().mapToDouble(Double::doubleValue).toArray()) != null) {
                    throw new IllegalArgumentException(where + ": series " + id + " appears twice");
                }
            }
        });
        if (series.isEmpty()) {
            throw new IllegalArgumentException(file + ": no series (a header row, then one series per row)");
        }
        return new SeriesTable(new ArrayList<>(series.keySet()), new ArrayList<>(series.values()));
    }

    /**
     * Writes the wide layout {@link #readWide} reads (a header row {@code id}, then each series' id and values, in full
     * precision), atomically.
     */
    public void writeWide(Path file) throws IOException {
        StringBuilder text = new StringBuilder("id\n");
        for (int s = 0; s < size(); s++) {
            text.append('"').append(ids.get(s).replace("\"", "\"\"")).append('"');
            for (double v : values.get(s)) {
                text.append(',').append(v);
            }
            text.append('\n');
        }
        dev.rnn4j.io.AtomicFiles.writeString(file, text.toString());
    }

    /** What reads a parsed file's records. */
    private interface Records {
        void read(CSVParser csv);
    }

    /**
     * Parses {@code file} with {@code format} and hands the records to {@code body}; a missing or malformed file is
     * one line naming it.
     */
    private static void parse(Path file, CSVFormat format, Records body) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser csv = format.parse(in)) {
            body.read(csv);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": not a readable CSV file (" + e.getMessage() + ")");
        }
    }

    /** A cell as a finite number; {@code where} names the file, line, series and column for the error. */
    private static double value(String cell, String where) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + cell + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(where + ": " + cell + " is not a finite number");
        }
        return v;
    }
}
