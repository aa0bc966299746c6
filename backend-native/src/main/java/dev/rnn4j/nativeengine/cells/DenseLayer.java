package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import java.util.Arrays;

/**
 * A fully connected layer over rows: {@code y = act(x W^T + b)}, {@code W [out, in]}, {@code b [out]},
 * with {@code act} identity (the head) or tanh (MLP hidden layers).
 * Backward: {@code da = dy * act'}, {@code dW += da^T x}, {@code db += sum_rows da}, {@code dx = da W}.
 * The arrays it returns are its own buffers, reused (and overwritten) by its next pass of the same size.
 */
public final class DenseLayer {
    private final Gemm gemm;
    private final int in;
    private final int out;
    private final boolean tanh;
    private final float[] w;
    private final float[] b;
    private final float[] dw;
    private final float[] db;
    private float[] x;
    private float[] y;
    private int rows;
    private float[] da;
    private float[] dx;

    /**
     * @param weights {@code W [out, in]} and {@code b [out]} ({@link LayerWeights#dense}); the sizes come from them
     * @param grads   their gradients, accumulated by {@link #backward}
     * @param tanh    tanh activation (MLP hidden layers), else identity (the head)
     */
    public DenseLayer(Gemm gemm, LayerWeights weights, LayerWeights grads, boolean tanh) {
        this.gemm = gemm;
        this.out = weights.b().length;
        this.in = weights.w().length / out;
        this.tanh = tanh;
        this.w = weights.w();
        this.b = weights.b();
        this.dw = grads.w();
        this.db = grads.b();
    }

    /** {@code x [rows, in]} to {@code y [rows, out]}. */
    public float[] forward(float[] input, int rows) {
        this.x = input;
        this.rows = rows;
        y = Buffers.reuse(y, rows * out);
        gemm.abtFromRow(rows, out, in, input, 0, in, w, 0, in, b, 0, y, 0, out);
        if (tanh) {
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) Math.tanh(y[i]);
            }
        }
        return y;
    }

    /** {@code dy [rows, out]} to {@code dx [rows, in]}; accumulates dW and db. */
    public float[] backward(float[] dy) {
        float[] da = dy;
        if (tanh) {
            da = this.da = Buffers.reuse(this.da, dy.length);
            for (int i = 0; i < dy.length; i++) {
                da[i] = dy[i] * (1 - y[i] * y[i]);
            }
        }
        gemm.atb(out, in, rows, da, 0, out, x, 0, in, dw, 0, in);
        gemm.columnSums(rows, out, da, 0, out, db, 0);
        float[] dx = this.dx = Buffers.reuse(this.dx, rows * in);
        Arrays.fill(dx, 0f);
        gemm.ab(rows, in, out, da, 0, out, w, 0, in, dx, 0, in);
        return dx;
    }
}
