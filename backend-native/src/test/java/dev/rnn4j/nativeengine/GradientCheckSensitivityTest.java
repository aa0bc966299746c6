package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.data.Batch;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.LstmGate;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.testing.ForwardingModel;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The finite-difference check is tight enough to matter: with the conformance suite's settings (eps 1e-2, tolerance
 * 3e-3, a padded batch of lengths 5, 1 and 3, weights doubled) it passes on the real gradients and fails when one
 * gate's part of the input-weight gradient is off by 1% or by 10%, for every gate of every recurrent cell.
 */
class GradientCheckSensitivityTest {
    private static final double EPS = 1e-2;
    private static final double TOLERANCE = 3e-3;

    static Stream<Arguments> gates() {
        return TestData.cellVariants().stream()
                .filter(s -> s.cell() != dev.rnn4j.spec.CellType.MLP && s.numLayers() == 1)
                .flatMap(s -> java.util.stream.IntStream.range(0, s.gates())
                        // CIFG computes f = 1 - i: its own forget-gate weights are unused and get no gradient
                        .filter(g -> !(s.cell() == dev.rnn4j.spec.CellType.LSTM_CIFG && g == LstmGate.F.ordinal()))
                        .mapToObj(g -> Arguments.of(TestData.label(s) + " gate " + g, s, g)));
    }

    private static TrainableModel model(ModelSpec spec) {
        Parameters params = TestData.largeWeights(spec, 42);
        return NativeBackend.create(new Gemm(Kernels.best(), false)).newTrainableModel(spec, params, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gates")
    void oneGateOffByOnePercentFails(String label, ModelSpec spec, int gate) {
        Batch batch = TestData.batch(spec, new int[] {5, 1, 3}, 7);
        try (TrainableModel model = model(spec)) {
            ModelAssertions.checkGradients(model, batch, EPS, TOLERANCE); // the real gradients pass
        }
        for (float factor : new float[] {1.01f, 1.10f}) {
            try (TrainableModel model = new ScaledGate(model(spec), gate, factor)) {
                assertThrows(AssertionFailedError.class, () -> ModelAssertions.checkGradients(model, batch, EPS,
                        TOLERANCE), label + " scaled by " + factor + " must fail the check");
            }
        }
    }

    /** A test double: the engine's gradients with gate {@code gate}'s rows of layer 0's W scaled by {@code factor}. */
    private static final class ScaledGate extends ForwardingModel {
        private final int gate;
        private final float factor;

        ScaledGate(TrainableModel inner, int gate, float factor) {
            super(inner);
            this.gate = gate;
            this.factor = factor;
        }

        @Override
        public void backward(float[] dOutput) {
            inner.backward(dOutput);
            var w = inner.gradients().get(ParameterLayout.w(0));
            int block = spec().hiddenSize() * w.shape()[1];
            for (int i = gate * block; i < (gate + 1) * block; i++) {
                w.data()[i] *= factor;
            }
        }
    }
}
