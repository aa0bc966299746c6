package dev.rnn4j.onnx;

import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.Provenance;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reading ONNX files, and recovering an rnn4j model from a file rnn4j exported. */
public final class OnnxModels {

    private OnnxModels() {
    }

    /**
     * Parses an ONNX file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not a valid ONNX model (truncated, corrupt, no graph)
     */
    public static ModelProto read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses ONNX bytes; {@code source} names them in errors. */
    public static ModelProto parse(byte[] bytes, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(source + " is not a valid ONNX model (truncated or corrupt: "
                    + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(source + " is not a valid ONNX model: it has no graph nodes");
        }
        return model;
    }

    /** The metadata value for {@code key}, if present. */
    public static Optional<String> metadata(ModelProto model, String key) {
        return model.getMetadataPropsList().stream().filter(e -> e.getKey().equals(key))
                .map(StringStringEntryProto::getValue).findFirst();
    }

    /** The spec stored by {@link OnnxExporter}, if this file is an rnn4j export. */
    public static Optional<ModelSpec> spec(ModelProto model) {
        return metadata(model, OnnxExporter.SPEC_KEY).map(ModelSpec::fromJson);
    }

    /** The provenance stored by {@link OnnxExporter}, if this file is an rnn4j export that has one. */
    public static Optional<Provenance> provenance(ModelProto model) {
        return metadata(model, Provenance.ONNX_KEY)
                .map(json -> Provenance.fromJson(com.google.gson.JsonParser.parseString(json).getAsJsonObject()));
    }

    /**
     * The canonical parameters of an rnn4j export, read back from its initializers.
     *
     * @throws IllegalArgumentException if a parameter is missing or has the wrong shape
     */
    public static Parameters parameters(ModelProto model, ModelSpec spec) {
        Map<String, TensorProto> inits = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Parameters params = new Parameters();
        for (ParameterLayout.Entry e : ParameterLayout.of(spec)) {
            TensorProto t = inits.get(e.name());
            if (t == null) {
                throw new IllegalArgumentException("The ONNX file has no initializer '" + e.name() + "' that its "
                        + OnnxExporter.SPEC_KEY + " metadata needs");
            }
            float[] data = OnnxTensors.toFloats(t);
            params.put(new Tensor(e.name(), e.shape(), data));
        }
        ParameterLayout.validate(spec, params);
        return params;
    }
}
