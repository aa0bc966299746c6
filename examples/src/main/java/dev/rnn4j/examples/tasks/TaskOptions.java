package dev.rnn4j.examples.tasks;

/**
 * The data-related command-line options as given ({@code null} where not given; each task fills its defaults
 * and ignores what does not apply to it).
 *
 * @param trainLength   function-shapes: {@code N} or {@code MIN-MAX}
 * @param testLength    function-shapes: {@code N} or {@code MIN-MAX}
 * @param trainSize     training sequences
 * @param testSize      test sequences
 * @param coefficients  function-shapes: {@code fixed} or {@code per-sequence}
 * @param normalize     function-shapes: scale x and y to about [-1, 1]
 * @param labels        function-shapes: {@code every-step} or {@code last-step}
 * @param window        sine-inverse: values per example
 * @param noiseVariance sine-inverse: variance of the noise
 * @param length        remember-first, adding: sequence length
 * @param text          char-text: UTF-8 text file (default: the project's own sources)
 * @param seqLength     char-text: characters per sequence
 * @param charMode      char-text: {@code sequence} (char-rnn) or {@code window} (Keras)
 * @param seed          the data seed
 */
public record TaskOptions(String trainLength, String testLength, Integer trainSize, Integer testSize,
                          String coefficients, Boolean normalize, String labels, Integer window, Double noiseVariance, Integer length,
                          String text, Integer seqLength, String charMode, long seed) {

    /** Options with only a seed: every task's defaults. Set the rest through the {@code with...} methods. */
    public static TaskOptions seed(long seed) {
        return new TaskOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, seed);
    }

    public TaskOptions withLengths(String train, String test) {
        return new TaskOptions(train, test, trainSize, testSize, coefficients, normalize, labels, window, noiseVariance,
                length, text, seqLength, charMode, seed);
    }

    public TaskOptions withSizes(Integer train, Integer test) {
        return new TaskOptions(trainLength, testLength, train, test, coefficients, normalize, labels, window,
                noiseVariance, length, text, seqLength, charMode, seed);
    }

    /** function-shapes: coefficients, input normalisation and where the labels are. */
    public TaskOptions withShapes(String coefficients, Boolean normalize, String labels) {
        return new TaskOptions(trainLength, testLength, trainSize, testSize, coefficients, normalize, labels, window,
                noiseVariance, length, text, seqLength, charMode, seed);
    }

    /** sine-inverse: window and noise variance. */
    public TaskOptions withWindow(Integer window, Double noiseVariance) {
        return new TaskOptions(trainLength, testLength, trainSize, testSize, coefficients, normalize, labels, window,
                noiseVariance, length, text, seqLength, charMode, seed);
    }

    /** remember-first, adding: sequence length. */
    public TaskOptions withLength(Integer length) {
        return new TaskOptions(trainLength, testLength, trainSize, testSize, coefficients, normalize, labels, window,
                noiseVariance, length, text, seqLength, charMode, seed);
    }

    /** char-text: corpus, sequence length and mode. */
    public TaskOptions withText(String text, Integer seqLength, String charMode) {
        return new TaskOptions(trainLength, testLength, trainSize, testSize, coefficients, normalize, labels, window,
                noiseVariance, length, text, seqLength, charMode, seed);
    }

    /** {@code {min, max}} from {@code text} ({@code N} or {@code MIN-MAX}), or the defaults when it is {@code null}. */
    public static int[] lengthRange(String text, String flag, int defaultMin, int defaultMax) {
        return text == null ? new int[] {defaultMin, defaultMax} : lengthRange(text, flag);
    }

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

    static int or(Integer v, int def) {
        return v == null ? def : v;
    }
}
