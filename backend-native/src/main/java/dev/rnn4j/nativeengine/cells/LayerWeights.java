package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;

/**
 * One recurrent layer's tensors as the live arrays a cell reads and writes, in the canonical layout: {@code W [G*H, I]},
 * {@code R [G*H, H]}, {@code B [2*G*H]} ({@code Wb} then {@code Rb}) and, for the peephole LSTM only,
 * {@code P [3H]}. The same record carries a layer's values or its gradients, and a dense layer's {@code W} and {@code b}
 * ({@link #dense}).
 *
 * @param w W
 * @param r R
 * @param b B
 * @param p P, or {@code null} when the cell has no peepholes
 * @param direction which direction's half of the arrays the cell uses (0 unless the layer is bidirectional)
 */
public record LayerWeights(float[] w, float[] r, float[] b, float[] p, int direction) {

    /** A dense layer's {@code W [out, in]} and {@code b [out]} in {@code tensors}, by name ({@code r}, {@code p} absent). */
    public static LayerWeights dense(Parameters tensors, String w, String b) {
        return new LayerWeights(tensors.get(w).data(), null, tensors.get(b).data(), null, 0);
    }

    /** Layer {@code layer}'s arrays in {@code tensors} (parameters or gradients); {@code p} only if they have it. */
    public static LayerWeights of(Parameters tensors, int layer) {
        return of(tensors, layer, 0);
    }

    /**
     * Direction {@code direction} of layer {@code layer} in {@code tensors}: the whole arrays, of which a bidirectional
     * layer's cell reads its direction's half (ONNX's leading direction axis: forward 0, reverse 1).
     */
    public static LayerWeights of(Parameters tensors, int layer, int direction) {
        String p = ParameterLayout.p(layer);
        return new LayerWeights(tensors.get(ParameterLayout.w(layer)).data(), tensors.get(ParameterLayout.r(layer)).data(),
                tensors.get(ParameterLayout.b(layer)).data(), tensors.contains(p) ? tensors.get(p).data() : null,
                direction);
    }
}
