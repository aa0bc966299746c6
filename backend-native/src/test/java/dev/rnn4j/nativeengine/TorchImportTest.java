package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.RnnModel;
import dev.rnn4j.io.SafeTensors;
import dev.rnn4j.model.Output;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.params.TorchStateDict;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch models (data/pytorch: real torch 1.13 modules, their state_dicts as safetensors, an input batch and PyTorch's
 * outputs) imported as rnn4j models: the same outputs within 1e-5, and the way back to PyTorch's names bit for bit.
 */
class TorchImportTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm-1layer-last", "lstm-2layer-bidirectional-every", "gru-2layer-bidirectional-last",
        "rnn-1layer-every", "gru-1layer-every", "lstm-1layer-bidirectional-last", "lstm-2layer-state-inputs",
        "gru-1layer-state-inputs", "gru-encoder-every", "lstm-2layer-bidirectional-state-outputs",
        "lstm-1layer-time-first-last"})
    void importedModelsGivePyTorchsOutputsAndExportBackBitForBit(String name) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(RepoData.path("pytorch/" + name + ".json")))
                .getAsJsonObject();
        SafeTensors.File file = SafeTensors.read(RepoData.path("pytorch/" + name + ".safetensors"));
        CellType cell = CellType.parse(c.get("cell").getAsString());
        boolean every = c.get("every_step").getAsBoolean();
        TorchStateDict.Imported imported = TorchStateDict.fromTorch(file.tensors(), cell, null, HeadKind.REGRESSION,
                every ? OutputMode.EVERY_STEP : OutputMode.LAST_STEP);
        assertEquals(c.get("hidden").getAsInt(), imported.spec().hiddenSize(), "sizes from the shapes");
        assertEquals(c.get("layers").getAsInt(), imported.spec().numLayers());
        assertEquals(c.get("bidirectional").getAsBoolean(), imported.spec().bidirectional());
        assertEquals("rnn.", imported.rnnPrefix());
        boolean encoder = c.has("head"); // no head in the file: an identity head, the outputs are the hidden states
        assertEquals(encoder ? null : "head.", imported.headPrefix());

        int[] in = ints(c.getAsJsonArray("input_shape"));
        float[] x = floats(c.getAsJsonArray("input"));
        float[][][] batch = new float[in[0]][in[1]][in[2]];
        for (int n = 0; n < in[0]; n++) {
            for (int t = 0; t < in[1]; t++) {
                System.arraycopy(x, (n * in[1] + t) * in[2], batch[n][t], 0, in[2]);
            }
        }
        float[] expected = floats(c.getAsJsonArray("output"));
        try (RnnModel model = RnnModel.builder().setSpec(imported.spec()).optParameters(imported.parameters())
                .optBackend("native").build()) {
            Output out = model.predict(batch);
            assertEquals(expected.length, out.values().length, "shape " + c.getAsJsonArray("output_shape"));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], out.values()[i], 1e-5, name + " output " + i);
            }
        }

        // back to PyTorch's names and layout: the very tensors PyTorch saved, bit for bit, through a file of our own
        List<Tensor> back = TorchStateDict.toTorch(imported.spec(), imported.parameters(), "rnn.", "head.");
        Path written = dir.resolve(name + ".safetensors");
        SafeTensors.write(written, back, Map.of("producer", "rnn4j"));
        SafeTensors.File reread = SafeTensors.read(written);
        List<String> names = new ArrayList<>(reread.tensors().keySet());
        if (encoder) {
            assertEquals(List.of("head.weight", "head.bias"), names.subList(names.size() - 2, names.size()),
                    "the identity head is exported as a Linear");
            names = names.subList(0, names.size() - 2);
        }
        assertEquals(new ArrayList<>(file.tensors().keySet()), names, "PyTorch's names, in its order");
        for (Tensor t : file.tensors().values()) {
            Tensor r = reread.tensors().get(t.name());
            assertArrayEquals(t.shape(), r.shape(), t.name());
            assertArrayEquals(t.data(), r.data(), 0f, t.name());
        }
        assertEquals("rnn4j", reread.metadata().get("producer"));
    }

    /**
     * The same PyTorch models as {@code torch.onnx.export} wrote them (opsets 9 and 17): imported from the graph, they
     * have the very parameters the state_dict import gives, PyTorch's outputs within 1e-5, and the import's own check
     * (the original file on the interpreter against the imported model, on random inputs) agrees within 1e-5.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm-1layer-last.opset9", "lstm-1layer-last.opset17",
        "lstm-2layer-bidirectional-every.opset9", "lstm-2layer-bidirectional-every.opset17",
        "gru-2layer-bidirectional-last.opset9", "gru-2layer-bidirectional-last.opset17", "rnn-1layer-every.opset9",
        "rnn-1layer-every.opset17", "gru-1layer-every.opset17", "lstm-1layer-bidirectional-last.opset17",
        "lstm-2layer-state-inputs.opset17", "gru-1layer-state-inputs.opset17", "gru-encoder-every.opset17",
        "lstm-2layer-bidirectional-state-outputs.opset17", "lstm-1layer-time-first-last.opset17"})
    void onnxExportsOfTheSameModelsImportToTheSameParameters(String file) throws IOException {
        String name = file.substring(0, file.indexOf(".opset"));
        JsonObject c = JsonParser.parseString(Files.readString(RepoData.path("pytorch/" + name + ".json")))
                .getAsJsonObject();
        byte[] bytes = Files.readAllBytes(RepoData.path("pytorch/" + file + ".onnx"));
        dev.rnn4j.onnx.OnnxImporter.Imported imported = dev.rnn4j.onnx.OnnxImporter.read(
                dev.rnn4j.onnx.OnnxModels.parse(bytes, file), HeadKind.REGRESSION);
        assertEquals(!c.has("time_first"), imported.batchFirst(), "torch's batch_first modules export a Transpose "
                + "after the input; batch_first=False ones read [T, N, I]");
        assertEquals(Long.parseLong(file.substring(file.indexOf(".opset") + 6)), imported.opset());
        TorchStateDict.Imported fromWeights = TorchStateDict.fromTorch(SafeTensors.read(RepoData.path("pytorch/"
                + name + ".safetensors")).tensors(), CellType.parse(c.get("cell").getAsString()), null,
                HeadKind.REGRESSION, c.get("every_step").getAsBoolean() ? OutputMode.EVERY_STEP : OutputMode.LAST_STEP);
        assertEquals(fromWeights.spec(), imported.spec());
        for (Tensor t : fromWeights.parameters()) {
            assertArrayEquals(t.data(), imported.parameters().get(t.name()).data(), 0f, t.name());
        }
        double worst = dev.rnn4j.onnx.OnnxImporter.check(bytes, imported, 3);
        assertTrue(worst < 1e-5, "the import's check: largest difference " + worst);
    }

    /**
     * A graph that also returns its final states (h_n, c_n) has them compared too: the same file with its two state
     * outputs swapped (c_n where h_n should be) no longer passes the check.
     */
    @org.junit.jupiter.api.Test
    void finalStatesReturnedByTheGraphAreCompared() throws IOException {
        byte[] bytes = Files.readAllBytes(RepoData.path("pytorch/lstm-2layer-bidirectional-state-outputs.opset17.onnx"));
        ai.onnx.proto.OnnxMl.ModelProto model = dev.rnn4j.onnx.OnnxModels.parse(bytes, "state outputs");
        dev.rnn4j.onnx.OnnxImporter.Imported imported = dev.rnn4j.onnx.OnnxImporter.read(model, HeadKind.REGRESSION);
        assertTrue(dev.rnn4j.onnx.OnnxImporter.check(bytes, imported, 3) < 1e-5);
        ai.onnx.proto.OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        ai.onnx.proto.OnnxMl.ValueInfoProto h = g.getOutput(1);
        g.setOutput(1, g.getOutput(2)).setOutput(2, h);
        byte[] swapped = model.toBuilder().setGraph(g).build().toByteArray();
        double difference = dev.rnn4j.onnx.OnnxImporter.check(swapped, imported, 3);
        assertTrue(difference > 1e-2, "h and c swapped: " + difference);
    }

    /** Two weight/bias pairs beside the module: refused naming --head, and imported with the head named. */
    @org.junit.jupiter.api.Test
    void twoHeadCandidatesNeedTheHeadNamed() throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>(SafeTensors.read(RepoData.path("pytorch/lstm-1layer-last"
                + ".safetensors")).tensors());
        sd.put("aux.weight", Tensor.zeros("aux.weight", 7, 5));
        sd.put("aux.bias", Tensor.zeros("aux.bias", 7));
        String message = assertThrows(IllegalArgumentException.class, () -> TorchStateDict.fromTorch(sd, CellType.LSTM,
                null, HeadKind.REGRESSION, OutputMode.LAST_STEP)).getMessage();
        assertTrue(message.startsWith("more than one head candidate [head., aux.]: name it with --head PREFIX"),
                message);
        assertEquals(2, TorchStateDict.fromTorch(sd, CellType.LSTM, "head.", HeadKind.REGRESSION, OutputMode.LAST_STEP)
                .spec().outputSize());
        assertEquals(7, TorchStateDict.fromTorch(sd, CellType.LSTM, "aux.", HeadKind.REGRESSION, OutputMode.LAST_STEP)
                .spec().outputSize());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"proj", "missing", "shape", "peephole"})
    void whatHasNoEquivalentIsRefusedNamingTheKey(String kind) throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>(SafeTensors.read(RepoData.path("pytorch/lstm-1layer-last"
                + ".safetensors")).tensors());
        String expected;
        CellType cell = CellType.LSTM;
        switch (kind) {
            case "proj" -> {
                sd.put("rnn.weight_hr_l0", Tensor.zeros("rnn.weight_hr_l0", 3, 5));
                expected = "rnn.weight_hr_l0: an LSTM with proj_size";
            }
            case "missing" -> {
                sd.remove("rnn.bias_hh_l0");
                expected = "missing tensor 'rnn.bias_hh_l0'";
            }
            case "shape" -> {
                sd.put("rnn.weight_hh_l0", Tensor.zeros("rnn.weight_hh_l0", 20, 4));
                expected = "rnn.weight_hh_l0: shape [20, 4] disagrees with rnn.weight_ih_l0 [20, 3]";
            }
            default -> {
                cell = CellType.LSTM_PEEPHOLE;
                expected = "--cell lstm-peephole: PyTorch has no module for it";
            }
        }
        CellType c = cell;
        String message = assertThrows(IllegalArgumentException.class, () -> TorchStateDict.fromTorch(sd, c, null,
                HeadKind.REGRESSION, OutputMode.LAST_STEP)).getMessage();
        assertTrue(message.startsWith(expected), message);
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }

    private static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }
}
