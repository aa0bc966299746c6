package dev.rnn4j.examples.tasks;

/**
 * The data-related command-line options, as given (null or 0 where not given; a task fills its defaults).
 *
 * @param trainLength  e.g. {@code 8} or {@code 1-16}
 * @param testLength   e.g. {@code 4}
 * @param trainSize    training sequences
 * @param testSize     test sequences
 * @param coefficients function-shapes: {@code fixed} or {@code per-sequence}
 * @param seed         the data seed
 */
public record TaskOptions(String trainLength, String testLength, Integer trainSize, Integer testSize,
                          String coefficients, long seed) {

    /** Parses {@code N} or {@code MIN-MAX} into {@code {min, max}}. */
    public static int[] lengthRange(String text, String flag) {
        try {
            String[] parts = text.trim().split("-");
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : min;
            if (parts.length > 2 || min < 1 || max < min) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a length N >= 1 or a range MIN-MAX, got '" + text + "'");
        }
    }
}
