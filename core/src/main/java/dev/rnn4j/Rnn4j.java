package dev.rnn4j;

import dev.rnn4j.config.BackendSelection;
import dev.rnn4j.config.Backends;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The front door: builds and loads {@link RnnModel}s on any engine.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder().setCell(CellType.LSTM).setInputSize(2).setHiddenSize(32)
 *         .setHead(HeadKind.CLASSIFICATION, 3).setOutputMode(OutputMode.LAST_STEP).build();
 * try (RnnModel model = Rnn4j.model(spec).optSeed(1).build()) {      // the configured engine, native by default
 *     TrainingResult r = model.fit(data.train(), data.test(), TrainerConfig.builder().optMaxSteps(500).build());
 *     model.save(Path.of("out/model"));
 * }
 * try (RnnModel back = Rnn4j.load(Path.of("out/model"))) {
 *     int[] classes = back.predictClasses(new float[][][] {{{0.1f, 0.2f}, {0.3f, 0.5f}}});
 * }
 * }</pre>
 *
 * <p>Without {@code optBackend}, the engine is the one configured: system property {@code rnn4j.backend}, else
 * environment variable {@code RNN4J_BACKEND}, else {@code backend=} in {@code rnn4j.properties} in the working
 * directory, else {@code native}. Engines are found on the classpath through {@link java.util.ServiceLoader}.
 */
public final class Rnn4j {
    private static final String VERSION = readVersion();

    private Rnn4j() {
    }

    /** A builder for a new model of {@code spec}, initialised from its seed. */
    public static RnnModel.Builder model(ModelSpec spec) {
        return RnnModel.builder().setSpec(spec);
    }

    /** Loads a model folder (written by {@link RnnModel#save}) onto the configured engine. */
    public static RnnModel load(Path dir) throws IOException {
        return RnnModel.load(dir);
    }

    /** Loads a model folder onto the engine named {@code backend}. */
    public static RnnModel load(Path dir, String backend) throws IOException {
        return RnnModel.load(dir, backend);
    }

    /**
     * A PyTorch model's weights as an rnn4j model on the configured engine: its {@code state_dict} saved as
     * safetensors, one {@code nn.LSTM}/{@code GRU}/{@code RNN} (any prefix, layers, directions; sizes read from the
     * shapes) and one {@code nn.Linear} head ({@link dev.rnn4j.params.TorchStateDict}). The last-step head reads each
     * direction's final state, as PyTorch's {@code h_n}.
     *
     * <pre>{@code
     * try (RnnModel m = Rnn4j.importSafetensors(Path.of("model.safetensors"), CellType.LSTM, HeadKind.REGRESSION,
     *         OutputMode.LAST_STEP)) {
     *     m.save(Path.of("out/imported"));
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException naming the file, tensor or key at fault
     */
    public static RnnModel importSafetensors(Path file, CellType cell, HeadKind head, OutputMode outputMode)
            throws IOException {
        return importSafetensors(file, cell, null, head, outputMode);
    }

    /**
     * {@link #importSafetensors(Path, CellType, HeadKind, OutputMode)} with the head's tensors named: {@code headPrefix}
     * + {@code weight} and {@code bias} (e.g. {@code "classifier."}), for a state_dict holding more than one candidate.
     */
    public static RnnModel importSafetensors(Path file, CellType cell, String headPrefix, HeadKind head,
                                             OutputMode outputMode) throws IOException {
        dev.rnn4j.io.SafeTensors.File f = dev.rnn4j.io.SafeTensors.read(file);
        dev.rnn4j.params.TorchStateDict.Imported imported;
        try {
            imported = dev.rnn4j.params.TorchStateDict.fromTorch(f.tensors(), cell, headPrefix, head, outputMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        com.google.gson.JsonObject source = new com.google.gson.JsonObject();
        source.addProperty("file", file.getFileName().toString());
        source.addProperty("format", "safetensors (a PyTorch state_dict)");
        source.addProperty("recurrent_module", imported.rnnPrefix());
        source.addProperty("head", imported.headPrefix() != null ? imported.headPrefix()
                : "identity (the file has none: the outputs are the hidden states)");
        f.metadata().forEach((k, v) -> source.addProperty("metadata." + k, v));
        return RnnModel.builder().setSpec(imported.spec()).optParameters(imported.parameters()).build()
                .optProvenance("imported", source);
    }

    /**
     * A recurrent model exported to ONNX elsewhere ({@code torch.onnx.export}, tf2onnx) as an rnn4j model on the
     * configured engine ({@link dev.rnn4j.onnx.OnnxImporter}), after checking it: the original file and the imported
     * model run on the same inputs (the file's own {@code test_data_set_0} when it lies beside it, else random ones)
     * and must agree within 1e-4.
     *
     * @throws IllegalArgumentException naming the node or pattern that does not map, or the difference found
     */
    public static RnnModel importOnnx(Path file, HeadKind head) throws IOException {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        dev.rnn4j.onnx.OnnxImporter.Imported imported;
        double difference;
        String checkedOn;
        try {
            imported = dev.rnn4j.onnx.OnnxImporter.read(dev.rnn4j.onnx.OnnxModels.parse(bytes, file.toString()), head);
            java.util.Optional<float[][]> own = dev.rnn4j.onnx.OnnxImporter.ownInputs(file, imported);
            difference = own.isPresent() ? dev.rnn4j.onnx.OnnxImporter.check(bytes, imported, own.get()[0],
                    (int) own.get()[1][0], (int) own.get()[1][1]) : dev.rnn4j.onnx.OnnxImporter.check(bytes, imported, 1);
            checkedOn = own.isPresent() ? "its own test_data_set_0" : "random inputs";
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (!(difference <= 1e-4)) {
            throw new IllegalArgumentException(file + ": the imported model's outputs differ from the file's by up to "
                    + difference + " (above 1e-4): its graph does more than rnn4j's layers and head; the file still runs "
                    + "as it is with onnx-test and the interpreter");
        }
        com.google.gson.JsonObject source = new com.google.gson.JsonObject();
        source.addProperty("file", file.getFileName().toString());
        source.addProperty("format", "onnx");
        source.addProperty("producer", imported.producer());
        source.addProperty("head", imported.identityHead() ? "identity (the file has none: the outputs are the hidden "
                + "states)" : "linear");
        source.addProperty("opset", imported.opset());
        source.addProperty("batch_first", imported.batchFirst());
        source.addProperty("largest_difference", difference);
        source.addProperty("checked_on", checkedOn);
        return RnnModel.builder().setSpec(imported.spec()).optParameters(imported.parameters()).build()
                .optProvenance("imported", source);
    }

    /** The engine configuration names (without a command-line flag): property, environment, file, or native. */
    public static String configuredBackend() {
        return BackendSelection.resolve(null).name();
    }

    /** The engines on the classpath, by name. */
    public static List<String> backends() {
        return Backends.names();
    }

    /** This rnn4j's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = Rnn4j.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }
}
