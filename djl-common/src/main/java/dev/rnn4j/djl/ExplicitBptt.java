package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.rnn4j.data.Batch;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training without autograd: the shared forward pass ({@link NetworkSkeleton}) keeps what backward needs through its
 * hooks, and backward applies the cells' own BPTT equations ({@link ComposedCells}, beside their forward steps; the
 * same equations as the native engine's cells) with plain NDArray ops: matMul, element-wise arithmetic,
 * sigmoid/tanh, slicing, stack, concat and sum. This is how the {@code tensorflow} backend trains, since DJL's
 * TensorFlow engine cannot record gradients.
 */
final class ExplicitBptt extends NetworkSkeleton {
    /** Each recurrent layer's directions (forward, then reverse when bidirectional), by layer. */
    private final List<ComposedLayer[]> layers = new ArrayList<>();
    /** The MLP's hidden layers' inputs and outputs. */
    private final List<NDArray[]> dense = new ArrayList<>();
    private final List<NDArray> dropoutMasks = new ArrayList<>();

    ExplicitBptt(ModelSpec spec, Map<String, NDArray> params) {
        super(spec, params);
    }

    /**
     * Output {@code [N, 1, C]} or {@code [N, T, C]} and the final state, from {@code initial} (zeros when {@code null}),
     * keeping caches in {@code m}.
     */
    Pass forward(NDManager m, Batch b, SplittableRandom dropoutRng, States initial) {
        layers.clear();
        dense.clear();
        dropoutMasks.clear();
        return forward(m, b, dropoutRng, initial, true);
    }

    @Override
    protected Layer direction(NDManager m, int l, int d, NDArray x, NDArray h0, NDArray c0, boolean wantState) {
        if (d == 0) {
            layers.add(new ComposedLayer[spec.directions()]);
        }
        ComposedLayer layer = new ComposedLayer(spec, cells, p, l, d, x, true);
        layers.get(l)[d] = layer;
        return layer.forward(m, validMask, h0, c0);
    }

    @Override
    protected NDArray dropout(NDManager m, NDArray x, SplittableRandom rng) {
        if (rng == null || spec.dropout() == 0f) {
            return x;
        }
        NDArray mask = Masks.dropout(m, x, spec.dropout(), rng);
        dropoutMasks.add(mask);
        return x.mul(mask);
    }

    @Override
    protected NDArray dense(int l, NDArray x) {
        NDArray y = super.dense(l, x);
        dense.add(new NDArray[] {x, y});
        return y;
    }

    /** {@code dL/dInitialState} of the last backward: per layer {@code [N, H]} h and c (c null without one). */
    States initialStateGradient() {
        List<NDArray> dh = new ArrayList<>();
        List<NDArray> dc = new ArrayList<>();
        for (ComposedLayer[] layer : layers) {
            if (layer.length == 1) {
                dh.add(layer[0].dInitialH);
                dc.add(layer[0].dInitialC);
            } else {
                dh.add(NDArrays.stack(new NDList(layer[0].dInitialH, layer[1].dInitialH), 0));
                dc.add(layer[0].dInitialC == null ? null
                        : NDArrays.stack(new NDList(layer[0].dInitialC, layer[1].dInitialC), 0));
            }
        }
        return new States(dh, dc);
    }

    /** Gradients of every canonical parameter for {@code dOut = dLoss/dOutput}. */
    Map<String, NDArray> backward(NDManager m, NDArray dOut) {
        Map<String, NDArray> g = new HashMap<>();
        int n = batch.size();
        int t = batch.steps();
        int h = spec.hiddenSize();
        NDArray dHeadOut = dOut.reshape(-1, spec.outputSize());
        g.put(ParameterLayout.HEAD_W, dHeadOut.transpose().matMul(headInput));
        g.put(ParameterLayout.HEAD_B, dHeadOut.sum(new int[] {0}));
        NDArray dx = dHeadOut.matMul(p.get(ParameterLayout.HEAD_W));
        if (spec.cell() == CellType.MLP) {
            for (int l = dense.size() - 1; l >= 0; l--) {
                if (l < dropoutMasks.size()) {
                    dx = dx.mul(dropoutMasks.get(l));
                }
                NDArray x = dense.get(l)[0];
                NDArray y = dense.get(l)[1];
                NDArray da = dx.mul(y.mul(y).neg().add(1f));
                g.put(ParameterLayout.w(l), da.transpose().matMul(x));
                g.put(ParameterLayout.b(l), da.sum(new int[] {0}));
                dx = da.matMul(p.get(ParameterLayout.w(l)));
            }
            return g;
        }
        NDArray dy;
        if (spec.outputMode() == OutputMode.EVERY_STEP) {
            dy = dx.reshape(n, t, spec.layerOutputSize()).transpose(1, 0, 2).mul(validMask);
        } else if (spec.directions() == 1) {
            dy = lastOneHot.mul(dx.reshape(1, n, h));
        } else {
            // the forward half came from each last valid step, the reverse half from step 0
            NDArray first = Masks.firstStep(m, batch);
            dy = NDArrays.concat(new NDList(lastOneHot.mul(dx.get(new NDIndex(":, 0:{}", h)).reshape(1, n, h)),
                    first.mul(dx.get(new NDIndex(":, {}:", h)).reshape(1, n, h))), 2);
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (l < dropoutMasks.size()) {
                dy = dy.mul(dropoutMasks.get(l));
            }
            dy = dy.mul(validMask);
            ComposedLayer[] layer = layers.get(l);
            if (layer.length == 1) {
                dy = layer[0].backward(m, dy, g);
                continue;
            }
            Map<String, NDArray> forward = new HashMap<>();
            Map<String, NDArray> reverse = new HashMap<>();
            NDArray dxf = layer[0].backward(m, dy.get(new NDIndex(":, :, 0:{}", h)), forward);
            NDArray dxr = layer[1].backward(m,
                    Masks.reverseInTime(m, dy.get(new NDIndex(":, :, {}:", h)), batch.lengths()), reverse);
            forward.forEach((name, grad) -> g.put(name, NDArrays.stack(new NDList(grad, reverse.get(name)), 0)));
            dy = dxf.add(Masks.reverseInTime(m, dxr, batch.lengths()));
        }
        return g;
    }
}
