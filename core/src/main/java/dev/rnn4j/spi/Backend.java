package dev.rnn4j.spi;

import dev.rnn4j.model.Model;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import java.util.Set;

/** An engine: builds models from a spec and canonical parameters. */
public interface Backend {

    String name();

    Set<Capability> capabilities();

    /**
     * An inference model. The parameters are copied; later changes to {@code params} do not affect it.
     *
     * @throws IllegalArgumentException if the parameters do not match the spec
     */
    Model newModel(ModelSpec spec, Parameters params);

    /**
     * A model that can compute gradients.
     *
     * @param seed seeds the engine's own randomness (dropout masks)
     * @throws UnsupportedOperationException if the engine cannot train (no {@link Capability#TRAINING})
     */
    TrainableModel newTrainableModel(ModelSpec spec, Parameters params, long seed);

    /**
     * Loads an arbitrary ONNX model (serialized {@code ModelProto}) to run by its graph's names.
     *
     * @throws UnsupportedOperationException if this engine cannot run ONNX graphs
     * @throws IllegalArgumentException      if the file is corrupt or uses an unsupported operator or
     *                                       attribute (the message names it and the node)
     */
    default OnnxSession openOnnx(byte[] onnx) {
        throw new UnsupportedOperationException("Backend '" + name() + "' cannot run ONNX files");
    }
}
