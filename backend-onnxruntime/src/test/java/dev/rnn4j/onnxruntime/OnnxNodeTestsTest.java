package dev.rnn4j.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.config.Backends;
import dev.rnn4j.onnx.NodeTestRunner;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 12 ONNX backend node tests for LSTM, GRU and RNN (data/onnx-node-rnn), with ONNX's
 * tolerance (rtol 1e-3, atol 1e-7), on the native interpreter (all pass) and on ONNX Runtime (all pass
 * except the three layout=1 tests, which ONNX Runtime refuses: those must be reported as SKIP).
 */
class OnnxNodeTestsTest {

    static Stream<String> tests() throws IOException {
        Path dir = RepoData.path("onnx-node-rnn");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(12, names.size(), "node tests found in " + dir);
            return names.stream();
        }
    }

    private static NodeTestRunner.Result run(String backend, String test) {
        Backend b = Backends.create(backend, EnumSet.noneOf(Capability.class));
        return new NodeTestRunner(b, NodeTestRunner.ONNX_ATOL, NodeTestRunner.ONNX_RTOL)
                .run(RepoData.path("onnx-node-rnn").resolve(test));
    }

    @ParameterizedTest(name = "native {0}")
    @MethodSource("tests")
    void nativeInterpreterPasses(String test) {
        NodeTestRunner.Result r = run("native", test);
        assertEquals(NodeTestRunner.Status.PASS, r.status(), r.line());
    }

    /** A data set with inputs but no expected outputs is a FAIL, not a vacuous PASS; so is a wrong expected value. */
    @Test
    void nothingToCompareWithOrAWrongValueFails(@TempDir Path tmp) throws IOException {
        Path source = RepoData.path("onnx-node-rnn").resolve("test_gru_defaults");
        Path copy = tmp.resolve("test_gru_defaults");
        Files.createDirectories(copy.resolve("test_data_set_0"));
        Files.copy(source.resolve("model.onnx"), copy.resolve("model.onnx"));
        try (Stream<Path> files = Files.list(source.resolve("test_data_set_0"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("input_")).toList()) {
                Files.copy(f, copy.resolve("test_data_set_0").resolve(f.getFileName()));
            }
        }
        Backend nativeBackend = Backends.create("native", EnumSet.noneOf(Capability.class));
        NodeTestRunner runner = new NodeTestRunner(nativeBackend, NodeTestRunner.ONNX_ATOL, NodeTestRunner.ONNX_RTOL);
        NodeTestRunner.Result r = runner.run(copy);
        assertEquals(NodeTestRunner.Status.FAIL, r.status(), r.line());
        assertTrue(r.detail().contains("no output_"), r.line());

        // the real expected output with one value changed by 1%
        Path output = source.resolve("test_data_set_0").resolve("output_0.pb");
        ai.onnx.proto.OnnxMl.TensorProto t = ai.onnx.proto.OnnxMl.TensorProto.parseFrom(Files.readAllBytes(output));
        dev.rnn4j.onnx.OnnxValue v = dev.rnn4j.onnx.OnnxValue.fromProto(t);
        float[] values = new float[v.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) v.get(i) * (i == 0 ? 1.01f : 1f);
        }
        ai.onnx.proto.OnnxMl.TensorProto.Builder b = t.toBuilder().clearFloatData().clearRawData();
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            raw.putFloat(f);
        }
        b.setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
        Files.write(copy.resolve("test_data_set_0").resolve("output_0.pb"), b.build().toByteArray());
        r = runner.run(copy);
        assertEquals(NodeTestRunner.Status.FAIL, r.status(), r.line());
    }

    @ParameterizedTest(name = "onnxruntime {0}")
    @MethodSource("tests")
    void onnxRuntimePassesOrSkipsBatchFirst(String test) {
        NodeTestRunner.Result r = run("onnxruntime", test);
        if (test.endsWith("_batchwise")) {
            assertEquals(NodeTestRunner.Status.SKIP, r.status(), r.line());
            assertTrue(r.detail().contains("unsupported by ONNX Runtime"), r.line());
        } else {
            assertEquals(NodeTestRunner.Status.PASS, r.status(), r.line());
        }
    }
}
