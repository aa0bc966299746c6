package dev.rnn4j.cli;

import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.onnx.export.OnnxExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j export}: writes a saved model as a standard ONNX file, or its weights under PyTorch's names. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model folder written by train to ONNX (opset " + OnnxExporter.OPSET + "), or with "
                + "--format safetensors its weights as a PyTorch state_dict.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model folder written by train.")
    Path modelDir;

    @Option(names = "--out", required = true, description = "The .onnx (or .safetensors) file to write.")
    Path out;

    @Option(names = "--format", defaultValue = "onnx", description = "onnx, or safetensors: the weights under "
            + "PyTorch's names (rnn.weight_ih_l0 ..., head.weight, head.bias) for load_state_dict (default: "
            + "${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--with-state", description = "Also take each layer's initial state as inputs initial_h.L "
            + "(and initial_c.L for the LSTM family), [directions, N, hidden], to stream the model by feeding back its "
            + "final_h.L/final_c.L outputs.")
    boolean withState;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("onnx") && !format.equals("safetensors")) {
            throw new IllegalArgumentException("--format must be onnx or safetensors, got '" + format + "'");
        }
        SavedModel saved = ModelStore.load(modelDir);
        if (format.equals("safetensors")) {
            if (withState) {
                throw new IllegalArgumentException("--with-state is for --format onnx");
            }
            dev.rnn4j.params.TorchStateDict.save(out, saved.spec(), saved.parameters());
            System.out.println("wrote " + out + " (PyTorch names: rnn.weight_ih_l0 ..., head.weight, head.bias; "
                    + "load_state_dict into an nn." + saved.spec().cell().cliName().toUpperCase(java.util.Locale.ROOT)
                    + " named rnn and an nn.Linear named head)");
            return 0;
        }
        if (withState && saved.spec().cell() == dev.rnn4j.spec.CellType.MLP) {
            throw new IllegalArgumentException("--with-state: the MLP baseline has no recurrent state");
        }
        OnnxExporter.write(saved.spec(), saved.parameters(), saved.provenance(), withState, out);
        System.out.println("wrote " + out + " (inputs: " + OnnxExporter.INPUT + " [N, T, " + saved.spec().inputSize()
                + "] float, " + OnnxExporter.LENGTHS + " [N] int32" + (withState ? ", initial_h.L" + (
                saved.spec().cell().hasCellState() ? ", initial_c.L" : "") : "") + "; output: "
                + OnnxExporter.OUTPUT + ")");
        return 0;
    }
}
