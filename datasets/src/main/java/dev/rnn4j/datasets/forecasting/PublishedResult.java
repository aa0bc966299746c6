package dev.rnn4j.datasets.forecasting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One row of a competition's published results ({@code data/m4/Hourly-published.csv}: the M4 organisers' figures for
 * Hourly), a figure the method was not scored on being {@code NaN}.
 *
 * @param method the method's name
 * @param smape  mean sMAPE over series and steps
 * @param mase   mean MASE
 * @param owa    OWA against Naive2
 * @param msis   mean MSIS of its 95% intervals
 */
public record PublishedResult(String method, double smape, double mase, double owa, double msis) {

    /**
     * Reads a file with the header {@code method,smape,mase,owa,msis}.
     *
     * @throws IllegalArgumentException naming the file and line of a cell that is not a number
     */
    public static List<PublishedResult> read(Path csv) {
        List<PublishedResult> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (CSVParser parser = CSVParser.parse(csv, StandardCharsets.UTF_8, format)) {
            for (CSVRecord r : parser) {
                String where = csv + ", line " + parser.getCurrentLineNumber();
                rows.add(new PublishedResult(r.get("method"), number(r.get("smape"), where),
                        number(r.get("mase"), where), number(r.get("owa"), where), number(r.get("msis"), where)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The row of {@code method} in {@code rows}. */
    public static PublishedResult of(List<PublishedResult> rows, String method) {
        return rows.stream().filter(r -> r.method().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no published row '" + method + "'"));
    }

    private static double number(String cell, String where) {
        if (cell.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + cell + "' is not a number");
        }
    }
}
