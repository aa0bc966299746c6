package dev.rnn4j.djl.tensorflow;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rnn4j.djl.DjlEngines;
import dev.rnn4j.djl.DjlModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.TrainableModel;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * TensorFlow through DJL. Its engine has no autograd and no fused RNN ops, so every cell is composed from
 * its working primitives (matMul, element-wise ops, sigmoid/tanh, slicing, stack) and training runs the
 * cells' backward equations explicitly ({@link ExplicitBptt}).
 * The natives come from {@code TENSORFLOW_LIBRARY_PATH} (environment or system property), else from the
 * {@code tensorflow-native-cpu} jar on the classpath, unpacked once into a cache folder ({@link TensorFlowNatives}).
 */
public final class TensorFlowBackend implements Backend {
    private static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";
    private final DjlModel.Runtime runtime;

    @Inject
    TensorFlowBackend() {
        if (System.getenv(TensorFlowNatives.LIBRARY_PATH) == null) {
            // DJL reads the folder from this property (or the environment)
            System.setProperty(TensorFlowNatives.LIBRARY_PATH, TensorFlowNatives.libraryPath());
        }
        if (System.getProperty(JAVACPP_LOGGER) == null) {
            // DJL 0.36's bindings load the 2.10.1 natives (the newest on Maven Central) with some 30 harmless
            // "Loader.putMemberOffset(): ClassNotFoundException" warnings on stderr; through SLF4J they can be filtered
            System.setProperty(JAVACPP_LOGGER, "slf4j");
        }
        Engine engine = DjlEngines.start("TensorFlow");
        // no fused ops; training uses ExplicitBptt, no gradient collector, so the step lock is never taken
        this.runtime = new DjlModel.Runtime(engine, Device.cpu(), Set.of(), new ReentrantLock());
    }

    @Override
    public String name() {
        return TensorFlowProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return TensorFlowProvider.CAPABILITIES;
    }

    @Override
    public Model newModel(ModelSpec spec, Parameters params) {
        return new DjlModel(runtime, spec, params, DjlModel.Gradients.NONE, 0L);
    }

    @Override
    public TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed) {
        return new DjlModel(runtime, spec, params, DjlModel.Gradients.EXPLICIT, seed);
    }
}
