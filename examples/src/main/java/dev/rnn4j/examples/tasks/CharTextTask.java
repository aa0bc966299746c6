package dev.rnn4j.examples.tasks;

import dev.rnn4j.examples.Installation;
import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --task char-text}: see {@link CharText}, in the char-rnn setting (next character at every step) or,
 * with {@code --char-mode window}, the Keras one (windows predicting the character after them).
 * The metric is the validation cross-entropy in nats per character. Without {@code --text} the corpus is the
 * project's own Java sources. The data configuration records the text file's path and size.
 */
public final class CharTextTask implements TaskDefinition {

    @Override
    public String name() {
        return "char-text";
    }

    @Override
    public JsonObject dataConfig(TaskOptions o) {
        JsonObject c = new JsonObject();
        c.addProperty("text", o.text() == null ? "" : Path.of(o.text()).toAbsolutePath().toString());
        c.addProperty("seq_length", TaskOptions.or(o.seqLength(), 100));
        c.addProperty("mode", o.charMode() == null ? "sequence" : o.charMode());
        if (!c.get("mode").getAsString().matches("sequence|window")) {
            throw new IllegalArgumentException("--char-mode must be sequence or window, got '" + o.charMode() + "'");
        }
        c.addProperty("max_sequences", TaskOptions.or(o.trainSize(), 20000));
        c.addProperty("seed", o.seed());
        String text = read(c);
        c.addProperty("characters", text.length());
        // the vocabulary travels with the model, so sampling does not need the corpus
        CharText.Vocabulary v = CharText.generate(text, config(c)).vocabulary();
        StringBuilder chars = new StringBuilder();
        for (int cp : v.codePoints()) {
            chars.appendCodePoint(cp);
        }
        c.addProperty("vocabulary", chars.toString());
        return c;
    }

    /** The corpus text of a configuration. */
    public static String read(JsonObject c) {
        String file = c.get("text").getAsString();
        try {
            if (!file.isEmpty()) {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("--text: no such file " + p);
                }
                return Files.readString(p, StandardCharsets.UTF_8);
            }
            return ownSources();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the corpus: " + e.getMessage(), e);
        }
    }

    /** The project's Java sources, concatenated in path order, from the checkout ({@link Installation}). */
    private static String ownSources() throws IOException {
        Path root = Installation.root().orElseThrow(() -> new IllegalArgumentException("--text not given, and the "
                + "default corpus (rnn4j's own sources) is not found: pass --text FILE, or run through the ./rnn4j "
                + "launcher (or with -D" + Installation.HOME_PROPERTY + "=<rnn4j checkout>)"));
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))
                    .sorted().toList();
            for (Path f : files) {
                sb.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    public static CharText.Config config(JsonObject c) {
        int len = c.get("seq_length").getAsInt();
        boolean window = c.has("mode") && c.get("mode").getAsString().equals("window");
        // window (Keras): one window every 3 characters predicting the next one; sequence (char-rnn): chunks
        return new CharText.Config(len, window ? CharText.Mode.WINDOW : CharText.Mode.SEQUENCE, window ? 3 : len, 0.1,
                c.get("max_sequences").getAsInt(), c.get("seed").getAsLong());
    }

    /** The data with its vocabulary. */
    public static CharText.Data data(JsonObject c) {
        return CharText.generate(read(c), config(c));
    }

    @Override
    public DataSplit generate(JsonObject dataConfig) {
        return data(dataConfig).split();
    }

    /** The vocabulary saved in a configuration. */
    public static CharText.Vocabulary vocabulary(JsonObject c) {
        return new CharText.Vocabulary(c.get("vocabulary").getAsString().codePoints().toArray());
    }

    @Override
    public ModelSpec.Builder specFor(JsonObject dataConfig) {
        int v = vocabulary(dataConfig).size();
        boolean window = dataConfig.has("mode") && dataConfig.get("mode").getAsString().equals("window");
        return ModelSpec.builder().setInputSize(v).setHead(HeadKind.CLASSIFICATION, v)
                .setOutputMode(window ? OutputMode.LAST_STEP : OutputMode.EVERY_STEP);
    }

    @Override
    public String metric() {
        return Metrics.LOSS;
    }

    @Override
    public String reportedMetric() {
        return "val_nats_per_char";
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    @Override
    public int defaultSteps() {
        return 2000;
    }
}
