package dev.rnn4j.onnxruntime;

import dev.rnn4j.config.Backends;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.RecurrentCases;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native interpreter and ONNX Runtime agree on every recurrent case ONNX Runtime runs (all but layout=1):
 * an independent implementation checking the same directions, masking, clip, activations and variants.
 * Tolerance 1e-5 absolute (both float32).
 */
class InterpreterVsOrtTest {

    static Stream<RecurrentCases.Case> cases() {
        return RecurrentCases.all(false).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameOutputs(RecurrentCases.Case c) {
        byte[] model = c.model().toByteArray();
        try (OnnxSession nat = Backends.create("native", EnumSet.noneOf(Capability.class)).openOnnx(model);
             OnnxSession ort = Backends.create("onnxruntime", EnumSet.noneOf(Capability.class)).openOnnx(model)) {
            Map<String, OnnxValue> a = nat.run(c.inputs());
            Map<String, OnnxValue> b = ort.run(c.inputs());
            org.junit.jupiter.api.Assertions.assertEquals(b.keySet(), a.keySet(), c.name() + ": output names");
            for (String name : b.keySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(name).shape(), a.get(name).shape(),
                        c.name() + " " + name + ": shape");
                ModelAssertions.assertValuesClose(b.get(name).floats(), a.get(name).floats(), 1e-5, 0,
                        c.name() + " " + name);
            }
        }
    }
}
