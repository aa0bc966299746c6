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
        description = "Import a recurrent model made elsewhere as an rnn4j model folder: a PyTorch state_dict saved as "
                + "safetensors (one nn.LSTM/GRU/RNN and one nn.Linear head), or an ONNX export (stacked LSTM/GRU/RNN "
                + "nodes and a Gemm or MatMul head), checked against the original before anything is written.")
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--safetensors", description = "The state_dict, saved with safetensors' save_file (F32, F16 or "
            + "BF16); needs --cell.")
    Path file;

    @Option(names = "--onnx", description = "An ONNX file (torch.onnx.export, tf2onnx; opsets 9 to 17).")
    Path onnx;

    @Option(names = "--cell", description = "With --safetensors, the module: lstm, gru (PyTorch's is "
            + "linear_before_reset = 1) or rnn.")
    String cell;

    @Option(names = "--head", paramLabel = "PREFIX", description = "With --safetensors, the head's tensors: PREFIX + "
            + "weight and bias, e.g. classifier. (default: the one weight and bias beside the recurrent module; none: "
            + "an identity head, the outputs are the hidden states).")
    String headPrefix;

    @Option(names = "--head-kind", defaultValue = "regression", description = "regression (values) or "
            + "classification (logits) (default: ${DEFAULT-VALUE}).")
    String headKind;

    @Option(names = "--output-mode", defaultValue = "last", description = "last (the head reads each direction's final "
            + "state, PyTorch's h_n) or every (the head on every step's output) (default: ${DEFAULT-VALUE}).")
    String outputMode;

    @Option(names = "--out", required = true, description = "The model folder to write.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (onnx == null)) {
            throw new IllegalArgumentException("give one of --safetensors FILE (with --cell) and --onnx FILE");
        }
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
        if (onnx != null && commandSpec.commandLine().getParseResult().hasMatchedOption("--output-mode")) {
            throw new IllegalArgumentException("--output-mode is for --safetensors: an ONNX file's output says it");
        }
        if (onnx != null && headPrefix != null) {
            throw new IllegalArgumentException("--head is for --safetensors: an ONNX file's head is its last Gemm or "
                    + "MatMul");
        }
        if (file != null && cell == null) {
            throw new IllegalArgumentException("--safetensors needs --cell lstm|gru|rnn");
        }
        try (RnnModel model = onnx != null ? Rnn4j.importOnnx(onnx, head)
                : Rnn4j.importSafetensors(file, CellType.parse(cell), headPrefix, head, mode)) {
            model.save(out);
            ModelSpec s = model.spec();
            String check = onnx != null ? String.format(java.util.Locale.ROOT, "; on %s, largest difference %.2e",
                    model.provenance().data().get("checked_on").getAsString(),
                    model.provenance().data().get("largest_difference").getAsDouble()) : "";
            boolean identity = model.provenance().data().get("head").getAsString().startsWith("identity");
            System.out.printf("imported %s: %s %d x %d%s, input %d, %s head of %d on %s; model in %s%s%n",
                    (onnx != null ? onnx : file).getFileName(), s.cell().cliName(), s.numLayers(), s.hiddenSize(),
                    s.bidirectional() ? " bidirectional" : "", s.inputSize(), identity ? "an identity (the file has "
                    + "none: the outputs are the hidden states; --new-head when training gives it one)" : headKind,
                    s.outputSize(),
                    s.outputMode() == OutputMode.LAST_STEP ? "the last step" : "every step", out, check);
        }
        return 0;
    }
}
