package dev.rnn4j.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.Model;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * TensorFlow through DJL. Its engine has no autograd and no fused RNN ops, so every cell is composed from
 * its working primitives (matMul, element-wise ops, sigmoid/tanh, slicing, stack) and training runs the
 * cells' backward equations explicitly ({@link ExplicitBptt}).
 * The natives come from {@code TENSORFLOW_LIBRARY_PATH} (environment or system property), else from where the
 * build unpacked them.
 */
public final class TensorFlowBackend implements Backend {
    private static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    private final Engine engine;
    private final Device device;

    @Inject
    TensorFlowBackend() {
        if (System.getenv(LIBRARY_PATH) == null && System.getProperty(LIBRARY_PATH) == null) {
            System.setProperty(LIBRARY_PATH, unpackedNatives());
        }
        this.engine = DjlEngines.start("TensorFlow");
        this.device = Device.cpu();
    }

    private static String unpackedNatives() {
        Properties p = new Properties();
        try (InputStream in = TensorFlowBackend.class.getResourceAsStream("/rnn4j-djl.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = p.getProperty("tensorflow.library.path", "");
        if (path.isEmpty() || !Files.isDirectory(Path.of(path))) {
            throw new IllegalStateException("TensorFlow natives not found at '" + path + "': build backend-djl with Maven "
                    + "(it unpacks them) or set " + LIBRARY_PATH + " to a folder holding libtensorflow_cc.so.2");
        }
        return path;
    }

    @Override
    public String name() {
        return TensorFlowProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.TRAINING);
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new DjlModel(engine, device, spec, params, false, DjlModel.Gradients.NONE, 0L);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        return new DjlModel(engine, device, spec, params, false, DjlModel.Gradients.EXPLICIT, seed);
    }
}
