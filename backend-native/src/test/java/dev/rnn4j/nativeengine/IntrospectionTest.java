package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.data.Batch;
import dev.rnn4j.nativeengine.cells.RecurrentCell;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Introspection;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.testing.TestData;
import dev.rnn4j.train.LossResult;
import dev.rnn4j.train.Losses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native engine's look inside: hidden-state gradients and gate activations. */
class IntrospectionTest {

    @Test
    void lastStepGradientIsTheHeadsAndGatesAreProbabilities() {
        var spec = TestData.spec(CellType.LSTM, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION);
        Parameters params = Initializer.initialize(spec, 2);
        Batch batch = TestData.batch(spec, 3, 5, 4);
        TrainableModel model = NativeBackend.create(new Gemm(Kernels.scalar(), false)).newTrainableModel(spec, params, 1);
        model.zeroGrad();
        LossResult loss = Losses.compute(spec.head(), model.forwardTrain(batch), batch);
        Introspection probe = (Introspection) model;
        Map<String, float[]> act = probe.activations(0); // before backward, which writes the gates' gradients there
        model.backward(loss.gradient());
        float[] dh = probe.hiddenGradients(0);
        int n = batch.size();
        int h = spec.hiddenSize();
        int c = spec.outputSize();
        float[] w = params.get(ParameterLayout.HEAD_W).data();
        for (int i = 0; i < n; i++) {
            int last = batch.lengths()[i] - 1;
            for (int j = 0; j < h; j++) {
                // dL/dh at the last valid step = head.W^T dL/dy (nothing later feeds back)
                double expected = 0;
                for (int k = 0; k < c; k++) {
                    expected += w[k * h + j] * loss.gradient()[i * c + k];
                }
                assertEquals(expected, dh[(last * n + i) * h + j], 1e-6);
                for (int t = last + 1; t < batch.steps(); t++) {
                    assertEquals(0f, dh[(t * n + i) * h + j], 0f, "no gradient past the sequence's end");
                }
            }
        }
        for (String gate : new String[] {"i", "f", "o"}) {
            for (float v : act.get(gate)) {
                assertTrue(v > 0 && v < 1, gate + " gate in (0, 1)");
            }
        }
        assertEquals(batch.steps() * n * h, act.get("c").length);
    }

    /**
     * Backward writes an LSTM's (and an RNN's) pre-activation gradients over the forward pass's gates: the gates are
     * refused after it, and so is a second backward of the same pass, before it adds to any gradient; the next
     * forwardTrain allows both again, with the same gradients as the first time.
     */
    @Test
    void backwardSpendsTheGatesOfItsForwardPass() {
        for (CellType cell : List.of(CellType.LSTM, CellType.LSTM_PEEPHOLE, CellType.LSTM_CIFG, CellType.RNN_TANH)) {
            var spec = TestData.spec(cell, 2, OutputMode.EVERY_STEP, HeadKind.REGRESSION);
            Batch batch = TestData.batch(spec, 3, 5, 4);
            TrainableModel model = NativeBackend.create(new Gemm(Kernels.best(), 2))
                    .newTrainableModel(spec, Initializer.initialize(spec, 2), 1);
            model.zeroGrad();
            LossResult loss = Losses.compute(spec.head(), model.forwardTrain(batch), batch);
            model.backward(loss.gradient());
            Parameters once = model.gradients().copy();
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> model.backward(loss.gradient()));
            assertEquals(RecurrentCell.SPENT, again.getMessage());
            assertEquals(0.0, once.maxAbsDiff(model.gradients()), cell + ": nothing added by the refused backward");
            if (cell != CellType.RNN_TANH) {
                IllegalStateException gates = assertThrows(IllegalStateException.class,
                        () -> ((Introspection) model).activations(0));
                assertTrue(gates.getMessage().startsWith("activations() reads the gates of the last forwardTrain()"),
                        gates.getMessage());
            }
            model.zeroGrad();
            var next = model.forwardTrain(batch);
            ((Introspection) model).activations(0); // the next pass's gates, before its backward
            model.backward(Losses.compute(spec.head(), next, batch).gradient());
            assertEquals(0.0, once.maxAbsDiff(model.gradients()), cell + ": the next pass's gradients");
        }
    }
}
