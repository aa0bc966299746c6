package dev.rnn4j.djl;

import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.TorchStateDict;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.util.HashSet;
import java.util.Set;

/**
 * The order of the gate blocks in the engine's copy of the recurrent weights. libtorch's fused LSTM and GRU ops want
 * PyTorch's gate order (LSTM {@code i, f, g, o}, GRU {@code r, z, n}) where the canonical (ONNX) layout has
 * {@code i, o, f, c} and {@code z, r, h}: the blocks of {@code W}, {@code R} and both halves of {@code B} are
 * reordered once on the way to the engine and back, not inside every step's graph. Element-wise optimizer moments
 * follow their parameter's layout. Every other tensor, and every tensor of a composed cell, keeps the canonical
 * order.
 */
final class GateLayout {
    private static final GateLayout CANONICAL = new GateLayout(null, Set.of(), Set.of(), 1);

    /** Engine block k holds canonical block {@code order[k]}; null for the canonical order. */
    private final int[] order;
    private final Set<String> weights;
    private final Set<String> biases;
    /** Directions per layer: a bidirectional tensor is two of the one-direction tensors, one after the other. */
    private final int directions;

    private GateLayout(int[] order, Set<String> weights, Set<String> biases, int directions) {
        this.order = order;
        this.weights = weights;
        this.biases = biases;
        this.directions = directions;
    }

    /** PyTorch's order for a fused LSTM or GRU, else canonical. */
    static GateLayout of(ModelSpec spec, boolean fused) {
        if (!fused || spec.cell() != CellType.LSTM && spec.cell() != CellType.GRU) {
            return CANONICAL;
        }
        Set<String> weights = new HashSet<>();
        Set<String> biases = new HashSet<>();
        for (int l = 0; l < spec.numLayers(); l++) {
            weights.add(ParameterLayout.w(l));
            weights.add(ParameterLayout.r(l));
            biases.add(ParameterLayout.b(l));
        }
        return new GateLayout(spec.cell().torchOrder(),
                weights, biases, spec.directions());
    }

    /** The engine's copy of canonical tensor {@code name}. */
    float[] toEngine(String name, float[] canonical) {
        return reorder(name, canonical, true);
    }

    /** The canonical form of the engine's tensor {@code name}. */
    float[] toCanonical(String name, float[] engine) {
        return reorder(name, engine, false);
    }

    private float[] reorder(String name, float[] from, boolean toEngine) {
        boolean bias = biases.contains(name);
        if (order == null || !bias && !weights.contains(name)) {
            return from;
        }
        // W and R are [G*H, in] row-major; B is [W_b (G*H) | R_b (G*H)]: both are runs of G blocks of equal size, once
        // per direction
        return TorchStateDict.reorder(from, order, (bias ? 2 : 1) * directions, toEngine);
    }
}
