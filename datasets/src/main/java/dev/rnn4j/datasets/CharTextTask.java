package dev.rnn4j.datasets;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.google.gson.annotations.SerializedName;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.model.Model;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code char-text}: see {@link CharText}, in the char-rnn setting (next character at every step) or the Keras one
 * (windows predicting the character after them). Judged by the validation cross-entropy in nats per character. The
 * configuration records the corpus file (empty: the task's default corpus), its size and the vocabulary, so a saved
 * model can sample without the corpus.
 */
public final class CharTextTask implements Task<CharTextTask.Config> {
    private final Supplier<String> defaultCorpus;

    /**
     * The data configuration, saved with a model.
     *
     * @param text         the corpus file's absolute path, or empty for the task's default corpus
     * @param seqLength    characters per sequence
     * @param mode         sequence (char-rnn) or window (Keras)
     * @param maxSequences cap on each split's sequences
     * @param seed         the data seed
     * @param characters   the corpus length, in chars
     * @param vocabulary   every character of the vocabulary, in order
     * @param stateful     sequence mode, trained statefully: chunks kept in text order (capped to the first
     *                     {@code maxSequences}), and training and validation carry the state from chunk to chunk
     */
    public record Config(String text, @SerializedName("seq_length") int seqLength, CharText.Mode mode,
                         @SerializedName("max_sequences") int maxSequences, long seed, int characters, String vocabulary,
                         boolean stateful) {

        public Config {
            if (stateful && mode != CharText.Mode.SEQUENCE) {
                throw new IllegalArgumentException("--stateful needs --char-mode sequence: a window predicts one "
                        + "character from its own characters only");
            }
        }

        /** The data set's own configuration: window mode takes one window every 3 characters. */
        public CharText.Config data() {
            boolean window = mode == CharText.Mode.WINDOW;
            return new CharText.Config(seqLength, mode, window ? 3 : seqLength, 0.1, maxSequences, seed, stateful);
        }

        /** The saved vocabulary. */
        public CharText.Vocabulary charVocabulary() {
            return new CharText.Vocabulary(vocabulary.codePoints().toArray());
        }
    }

    /**
     * @param defaultCorpus the text used when a configuration names no file (e.g. the project's own sources); it may
     *                      throw {@link IllegalArgumentException} saying how to give a file instead
     */
    public CharTextTask(Supplier<String> defaultCorpus) {
        this.defaultCorpus = defaultCorpus;
    }

    @Override
    public String name() {
        return "char-text";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    /** The default corpus in chunks of 100 characters, at most 20,000 sequences. */
    @Override
    public Config defaults(long seed) {
        return configure(null, 100, CharText.Mode.SEQUENCE, 20000, seed);
    }

    @Override
    public List<TaskOption> options() {
        return List.of(TaskOption.value("text", "FILE", "UTF-8 text file (default: the project's own sources)"),
                TaskOption.value("seq-length", "N", "characters per sequence (default 100)"),
                TaskOption.value("char-mode", "sequence|window", "sequence (char-rnn, every step) or window (Keras, "
                        + "last step)"),
                TaskOption.value("train-size", "N", "at most this many training sequences (default 20000)"),
                TaskOption.flag("stateful", "sequence mode: train statefully (truncated BPTT): the text is cut into "
                        + "--batch-size parallel streams and each batch continues every stream from the state the last "
                        + "one ended with; validation runs statefully too"));
    }

    @Override
    public Config configure(TaskOptions o, long seed) {
        return configure(o.path("text"), o.integer("seq-length", 100),
                o.has("char-mode") ? CharText.Mode.parse(o.text("char-mode")) : CharText.Mode.SEQUENCE,
                o.integer("train-size", 20000), seed, o.flag("stateful"));
    }

    /**
     * A configuration over {@code text} (or the default corpus when {@code null}): reads the corpus once for its size
     * and vocabulary.
     *
     * @throws IllegalArgumentException if the file does not exist
     */
    public Config configure(Path text, int seqLength, CharText.Mode mode, int maxSequences, long seed) {
        return configure(text, seqLength, mode, maxSequences, seed, false);
    }

    /**
     * A configuration over {@code text} (or the default corpus when {@code null}), stateful or not: reads the corpus
     * once for its size and vocabulary.
     *
     * @throws IllegalArgumentException if the file does not exist, or for a stateful window mode
     */
    public Config configure(Path text, int seqLength, CharText.Mode mode, int maxSequences, long seed, boolean stateful) {
        String file = text == null ? "" : text.toAbsolutePath().toString();
        Config bare = new Config(file, seqLength, mode, maxSequences, seed, 0, "", stateful);
        String corpus = read(bare);
        CharText.Vocabulary v = CharText.generate(corpus, bare.data()).vocabulary();
        StringBuilder chars = new StringBuilder();
        for (int cp : v.codePoints()) {
            chars.appendCodePoint(cp);
        }
        return new Config(file, seqLength, mode, maxSequences, seed, corpus.length(), chars.toString(), stateful);
    }

    /** The corpus text of a configuration. */
    public String read(Config c) {
        if (c.text() == null || c.text().isEmpty()) {
            return defaultCorpus.get();
        }
        Path p = Path.of(c.text());
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--text: no such file " + p);
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("--text: " + p + " is not UTF-8 text (a binary file?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the corpus " + p + ": " + e.getMessage(), e);
        }
    }

    /** The data with its vocabulary. */
    public CharText.Data data(Config c) {
        return CharText.generate(read(c), c.data());
    }

    @Override
    public DataSplit generate(Config config) {
        return data(config).split();
    }

    @Override
    public ModelSpec.Builder specFor(Config config) {
        int v = config.charVocabulary().size();
        return ModelSpec.builder().setInputSize(v).setHead(HeadKind.CLASSIFICATION, v)
                .setOutputMode(config.mode() == CharText.Mode.WINDOW ? OutputMode.LAST_STEP : OutputMode.EVERY_STEP);
    }

    @Override
    public boolean stateful(Config config) {
        return config.stateful();
    }

    @Override
    public String metric() {
        return Metrics.LOSS;
    }

    @Override
    public String reportedMetric() {
        return "val_nats_per_char";
    }

    /** {@code val_nats_per_char_streamed}: see {@link #finalMetrics}. */
    public static final String STREAMED = "val_nats_per_char_streamed";

    /**
     * In sequence mode, trained without {@code --stateful}: the validation text read as one stream as well
     * ({@link #STREAMED}), each chunk starting from the state the one before it ended with, as {@code generate} reads
     * and as char-rnn measures its validation loss; the reported figure starts every chunk from zeros, so the first
     * characters of each chunk are guessed without context. Nothing when the validation chunks are not consecutive (a
     * text so long that they were capped to evenly spaced ones) or the run was stateful (its figure is this one).
     */
    @Override
    public Map<String, Double> finalMetrics(Config config, Model model) {
        if (config.stateful()) {
            return Map.of();
        }
        return CharText.consecutiveValidation(read(config), config.data())
                .map(v -> Map.of(STREAMED,
                        Metrics.evaluateStateful(model, v, Metrics.STATEFUL_STREAMS).get(Metrics.LOSS)))
                .orElse(Map.of());
    }

    @Override
    public String summary(Map<String, Double> m) {
        return m.containsKey(STREAMED)
                ? String.format(Locale.ROOT, "; %.4f read as one stream (char-rnn's measure)", m.get(STREAMED)) : "";
    }

    @Override
    public double target() {
        return Double.NaN;
    }

    /**
     * char-rnn's model (docs/tasks.md, "char-lm"), at a size that 20 minutes on 2 cores can use: two LSTM layers of
     * 384 with dropout 0.5 between them, Adam 4e-3 annealed by a cosine to 1%, batch 32, evaluation every 500 steps,
     * 5,900 steps (what 20 minutes held on 2 cores when it was measured). With {@code --time-limit} and no {@code
     * --steps} the cosine anneals over the steps that fit in the time instead. Dropout 0.5 (what char-rnn's README
     * suggests against overfitting), not 0.2: at 0.2 the model overfits tinyshakespeare halfway through 20 minutes; 384
     * units, not 256: with 256 the evaluations stopped improving halfway through the 20 minutes, and 384 for half as
     * many steps ended lower; both chosen on a split inside the training text (docs/tasks.md). Dropout 0.35 for the
     * 384 units, lower on that split, ended higher on both full corpora, so it stays at 0.5.
     */
    @Override
    public Recipe recipe(CharTextTask.Config config) {
        return Recipe.steps(5900).withHidden(384).withLayers(2).withDropout(0.5f).withLr(4e-3f)
                .withSchedule(LearningRateSchedule.cosine(0.01)).withEvalEvery(500);
    }
}
