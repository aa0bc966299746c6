package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import dev.rnn4j.runs.Installation;
import dev.rnn4j.examples.CharSampler;
import dev.rnn4j.runs.TrainingRun;
import dev.rnn4j.datasets.CharText;
import dev.rnn4j.datasets.CharTextTask;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.model.Model;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A character language model (char-rnn): 2-layer LSTM with dropout 0.2 on tinyshakespeare
 * ({@code data/text}); validation loss in bits per character and
 * samples at three temperatures.
 */
public final class CharLmExample implements Example {
    private final CharTextTask task = Tasks.CHAR_TEXT;

    @Override
    public String name() {
        return "char-lm";
    }

    @Override
    public String summary() {
        return "2-layer LSTM character model: validation bits per character and samples at temperatures 0.5, 0.8, 1.0";
    }

    /** {@code data/text/tinyshakespeare.txt}. */
    static Path shakespeare() {
        return Installation.data("text/tinyshakespeare.txt");
    }

    @Override
    public Report run(ExampleContext ctx) throws IOException {
        Path corpus = shakespeare();
        int seqLength = ctx.full() ? 100 : 64;
        CharTextTask.Config data = task.configure(corpus, seqLength, CharText.Mode.SEQUENCE, ctx.pick(4000, 100000),
                ctx.seed());
        int hidden = ctx.pick(128, 256);
        ModelSpec spec = task.specFor(data).setCell(CellType.LSTM).setHiddenSize(hidden).optNumLayers(2).optDropout(0.2f).build();
        TrainerConfig.Builder tb = TrainerConfig.builder().optMaxSteps(ctx.pick(800, 1_000_000)).optBatchSize(32)
                .optEvalEvery(ctx.pick(100, 1000)).optOptimizer(OptimizerConfig.adam(ctx.full() ? 4e-3f : 2e-3f))
                .optClipNorm(5).optSeed(ctx.seed());
        if (ctx.full()) {
            tb.optTimeLimit(Duration.ofMinutes(20));
        }
        TrainingRun.Outcome o = new TrainingRun(new TaskConfig<>(task, data), spec, tb.build(), 1f, ctx.seed()).run(ctx.backend(),
                ctx.out().resolve("model"));
        double nats = o.testMetric();
        Report report = new Report("Character language model");
        report.text("Corpus: " + "tinyshakespeare (`data/text`), " + data.characters() + " characters, vocabulary "
                + spec.inputSize() + ", last 10% for validation. Model: 2-layer LSTM, hidden " + hidden + ", dropout 0.2, "
                + "sequences of " + seqLength + " characters with the next character as the target at every step, Adam "
                + "lr " + (ctx.full() ? "4e-3" : "2e-3") + ", batch 32, clip 5, " + o.metrics().get("steps").getAsInt() + " steps in "
                + Report.fmt(o.metrics().get("train_seconds").getAsDouble()) + " s on `" + ctx.backend().name() + "`.");
        report.table(List.of("validation nats per character", "bits per character"),
                List.of(List.of(nats, nats / Math.log(2))));
        report.text("The full setting (`--full`: hidden 256, 20 minutes on 2 cores) aims at 1.55 nats per character or "
                + "less on tinyshakespeare; the char-rnn README's checkpoint names 1.395 after 30 epochs on a GPU.");
        report.figure("model/loss.png", "Training loss per step.");
        report.heading("Samples");
        List<List<Object>> rows = new ArrayList<>();
        String prime = "ROMEO:";
        try (Model m = ctx.backend().newModel(spec, o.parameters())) {
            CharSampler sampler = new CharSampler(m, data.charVocabulary());
            for (double t : new double[] {0.5, 0.8, 1.0}) {
                String text = sampler.sample(prime, ctx.pick(200, 500), t, ctx.seed());
                report.text("Temperature " + t + ", from \"" + prime + "\":\n\n```\n" + text.replace("```", "'''") + "\n```");
                o.metrics().addProperty("sample_" + t, text);
                rows.add(List.of(t, text.length()));
            }
        }
        report.metrics().addProperty("val_nats_per_char", nats);
        report.metrics().addProperty("val_bits_per_char", nats / Math.log(2));
        report.metrics().addProperty("corpus", "tinyshakespeare");
        report.write(ctx.out());
        return report;
    }
}
