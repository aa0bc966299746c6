package dev.rnn4j.datasets;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Numeric columns of a CSV file with a header row, read with Apache Commons CSV: one row per time step, in time order.
 * An optional time column (any text: {@code 1958}, {@code 1958-03-29}, {@code Jan-1-1995}) only labels the rows; when
 * every label is a number or an ISO date, the rows must be in increasing order. Empty numeric cells are missing values
 * ({@code NaN} here), handled by {@link Missing}. Every problem is one {@link IllegalArgumentException} naming the file,
 * and the line and column where there is one.
 *
 * @param file    the file read
 * @param times   each row's time label (the row number from 1 when there is no time column)
 * @param columns the requested numeric columns by name, in the order asked for; {@code NaN} marks a missing value
 */
public record CsvSeries(Path file, String[] times, Map<String, double[]> columns) {

    /** What an empty numeric cell does. */
    public enum Missing {
        /** Refuse the file, naming the first empty cell and counting the others. */
        ERROR,
        /** Fill each gap linearly between its neighbours (a gap at either end cannot be, and is an error). */
        INTERPOLATE,
        /** Keep it missing: examples whose window or target touches it are left out. */
        DROP;

        /** {@code error}, {@code interpolate} or {@code drop}. */
        public static Missing parse(String s) {
            return switch (s) {
                case "error" -> ERROR;
                case "interpolate" -> INTERPOLATE;
                case "drop" -> DROP;
                default -> throw new IllegalArgumentException("--missing must be error, interpolate or drop, got '" + s
                        + "'");
            };
        }
    }

    /** The number of rows. */
    public int rows() {
        return times.length;
    }

    /** Column {@code name}'s values. */
    public double[] column(String name) {
        return columns.get(name);
    }

    /**
     * Reads {@code columns} (and {@code timeColumn}, when not null) from {@code file}.
     *
     * @throws IllegalArgumentException for a missing, empty or unreadable file, no header, an unknown column (the message
     *                                  lists the file's columns), a cell that is not a number, NaN or infinity, an empty
     *                                  cell under {@link Missing#ERROR} or at either end under interpolation, or rows out
     *                                  of time order
     */
    public static CsvSeries read(Path file, String timeColumn, List<String> columns, Missing missing) {
        List<String> times = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        columns.forEach(c -> values.put(c, new ArrayList<>()));
        List<String> empty = new ArrayList<>();
        parse(file, (parser, header) -> {
            List<String> wanted = new ArrayList<>(columns);
            if (timeColumn != null) {
                wanted.add(timeColumn);
            }
            requireColumns(file, header, wanted);
            for (CSVRecord record : parser) {
                long line = requireWhole(file, parser, record, header);
                times.add(timeColumn == null ? String.valueOf(times.size() + 1) : record.get(timeColumn));
                for (String c : columns) {
                    String cell = record.get(c);
                    double v;
                    if (cell.isEmpty()) {
                        empty.add("line " + line + ", column '" + c + "'");
                        v = Double.NaN;
                    } else {
                        v = number(file, line, c, cell);
                    }
                    values.get(c).add(v);
                }
            }
            return null;
        });
        if (times.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no rows");
        }
        if (!empty.isEmpty() && missing == Missing.ERROR) {
            throw new IllegalArgumentException(file + ": " + empty.get(0) + " is empty" + (empty.size() > 1
                    ? " (and " + (empty.size() - 1) + " more empty cells)" : "")
                    + "; use --missing interpolate or --missing drop");
        }
        if (timeColumn != null) {
            requireTimeOrder(file, timeColumn, times);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            if (missing == Missing.INTERPOLATE) {
                interpolate(file, e.getKey(), v);
            }
            out.put(e.getKey(), v);
        }
        return new CsvSeries(file, times.toArray(String[]::new), out);
    }

    /** What is done with a CSV file's parser and its header (never empty). */
    interface ParserBody<T> {
        T read(CSVParser parser, List<String> header) throws IOException;
    }

    /**
     * Opens {@code file} as UTF-8 CSV with a header row (cells trimmed, empty lines skipped) and runs {@code body} on
     * it; a missing or empty file, a non-UTF-8 file and a malformed one each become one
     * {@link IllegalArgumentException} naming the file.
     */
    static <T> T parse(Path file, ParserBody<T> body) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--csv: no such file " + file);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new IllegalArgumentException(file + " is empty: a CSV file with a header row is needed");
            }
            return body.read(parser, header);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text (a binary file?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(file + " is not a readable CSV file: " + e.getCause().getMessage(), e);
        }
    }

    /** Refuses a header without every one of {@code wanted}, listing the file's columns. */
    static void requireColumns(Path file, List<String> header, List<String> wanted) {
        for (String c : wanted) {
            if (!header.contains(c)) {
                throw new IllegalArgumentException(file + " has no column '" + c + "'; its columns: "
                        + String.join(", ", header));
            }
        }
    }

    /** The record's line, after refusing a record with another number of cells than the header. */
    static long requireWhole(Path file, CSVParser parser, CSVRecord record, List<String> header) {
        long line = parser.getCurrentLineNumber();
        if (!record.isConsistent()) {
            throw new IllegalArgumentException(file + ": line " + line + " has " + record.size() + " cells, the header "
                    + header.size());
        }
        return line;
    }

    static double number(Path file, long line, String column, String cell) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": line " + line + ", column '" + column + "': '" + cell
                    + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(file + ": line " + line + ", column '" + column + "' is " + cell
                    + ": only finite values can be learned from (leave the cell empty for a missing value)");
        }
        return v;
    }

    /** When every label parses as a number or an ISO date, the labels must increase from row to row. */
    private static void requireTimeOrder(Path file, String column, List<String> times) {
        double[] keys = new double[times.size()];
        for (int i = 0; i < keys.length; i++) {
            String t = times.get(i);
            keys[i] = timeKey(t);
            if (Double.isNaN(keys[i])) {
                return; // labels only: the file's order is the time order
            }
            if (i > 0 && !(keys[i] > keys[i - 1])) {
                throw new IllegalArgumentException(file + ": rows are not in time order: '" + column + "' goes from "
                        + times.get(i - 1) + " to " + t + " (data row " + (i + 1) + "); sort the file by time");
            }
        }
    }

    /**
     * A time label as a number that orders it: itself, an ISO date's day, or an ISO date and time's day with its
     * fraction; NaN for any other text.
     */
    public static double timeKey(String label) {
        try {
            return Double.parseDouble(label);
        } catch (NumberFormatException notNumber) {
            try {
                return LocalDate.parse(label).toEpochDay();
            } catch (DateTimeParseException notDate) {
                try { // an ISO date and time ("2020-01-01T13:00" or with a space): days with their fraction
                    java.time.LocalDateTime t = java.time.LocalDateTime.parse(label.trim().replace(' ', 'T'));
                    return t.toLocalDate().toEpochDay() + t.toLocalTime().toSecondOfDay() / 86400.0;
                } catch (DateTimeParseException notDateTime) {
                    return Double.NaN;
                }
            }
        }
    }

    /** Fills each run of NaN linearly between the values around it. */
    private static void interpolate(Path file, String column, double[] v) {
        int i = 0;
        while (i < v.length) {
            if (!Double.isNaN(v[i])) {
                i++;
                continue;
            }
            int end = i;
            while (end < v.length && Double.isNaN(v[end])) {
                end++;
            }
            if (i == 0 || end == v.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: column '%s' is empty at the %s "
                        + "of the series (data row %d): interpolation needs a value on both sides; use --missing drop",
                        file, column, i == 0 ? "start" : "end", i == 0 ? 1 : v.length));
            }
            for (int k = i; k < end; k++) {
                double w = (double) (k - i + 1) / (end - i + 1);
                v[k] = v[i - 1] * (1 - w) + v[end] * w;
            }
            i = end;
        }
    }
}
