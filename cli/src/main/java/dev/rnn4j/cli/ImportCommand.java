package dev.rnn4j.cli;

import dev.rnn4j.Rnn4j;
import dev.rnn4j.RnnModel;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j import}: a PyTorch model's weights (its {@code state_dict} as safetensors) as an rnn4j model folder that
 * {@code eval}, {@code predict}, {@code export} and training read like any other.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a PyTorch recurrent model (state_dict saved as safetensors: one nn.LSTM/GRU/RNN and one "
                + "nn.Linear head) as an rnn4j model folder.")
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--safetensors", required = true, description = "The state_dict, saved with safetensors' "
            + "save_file (F32, F16 or BF16).")
    Path file;

    @Option(names = "--cell", required = true, description = "The module: lstm, gru (PyTorch's is linear_before_reset "
            + "= 1) or rnn.")
    String cell;

    @Option(names = "--head-kind", defaultValue = "regression", description = "regression (values) or "
            + "classification (logits) (default: ${DEFAULT-VALUE}).")
    String headKind;

    @Option(names = "--output-mode", defaultValue = "last", description = "last (the head reads each direction's final "
            + "state, PyTorch's h_n) or every (the head on every step's output) (default: ${DEFAULT-VALUE}).")
    String outputMode;

    @Option(names = "--out", required = true, description = "The model folder to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        CellType c = CellType.parse(cell);
        HeadKind head = switch (headKind) {
            case "regression" -> HeadKind.REGRESSION;
            case "classification" -> HeadKind.CLASSIFICATION;
            default -> throw new IllegalArgumentException("--head-kind must be regression or classification, got '"
                    + headKind + "'");
        };
        OutputMode mode = switch (outputMode) {
            case "last" -> OutputMode.LAST_STEP;
            case "every" -> OutputMode.EVERY_STEP;
            default -> throw new IllegalArgumentException("--output-mode must be last or every, got '" + outputMode
                    + "'");
        };
        AtomicFiles.requireWritableFolder(out);
        try (RnnModel model = Rnn4j.importSafetensors(file, c, head, mode)) {
            model.save(out);
            ModelSpec s = model.spec();
            System.out.printf("imported %s: %s %d x %d%s, input %d, %s head of %d on %s; model in %s%n",
                    file.getFileName(), s.cell().cliName(), s.numLayers(), s.hiddenSize(),
                    s.bidirectional() ? " bidirectional" : "", s.inputSize(), headKind, s.outputSize(),
                    mode == OutputMode.LAST_STEP ? "the last step" : "every step", out);
        }
        return 0;
    }
}
