package dev.rnn4j.nativeengine.kernels;

import dev.rnn4j.params.GruGate;
import dev.rnn4j.spi.DropoutStream;

/**
 * The vector primitives the engine is built from: dot, axpy, the matrix-product micro-kernel {@link #panel} and the
 * activations.
 *
 * <p>{@link #best()} picks the Vector API version when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, the scalar one otherwise.
 */
public interface Kernels {

    /** {@code sum_k a[aOff + k] * b[bOff + k]} for {@code k < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff + k] += alpha * x[xOff + k]} for {@code k < n}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code y[yOff + k] += alpha * x[xOff + k]} for {@code k < n}, each element rounded as the micro-kernel
     * {@link #panel} rounds one of its multiply-adds, so that a product may skip A's zeros and keep its bits
     * ({@link Gemm#sparseMultiply}): here a product and a sum, each rounded.
     */
    default void addRow(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) {
            y[yOff + k] += alpha * x[xOff + k];
        }
    }

    /**
     * {@code sums[sOff + j] += sum_i a[aOff + i * lda + j]} for {@code j < n}, the rows added in order {@code i = 0 ..
     * m-1} (bias gradients: a column's sum over every step); each addition rounded, as {@link #axpy} with alpha 1.
     */
    default void addColumnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        for (int i = 0; i < m; i++) {
            axpy(1f, a, aOff + i * lda, sums, sOff, n);
        }
    }

    /**
     * Copies {@code rows} rows of {@code width} floats (from {@code b[src]}, rows {@code ldb} apart) into a packed block
     * (from {@code data[dst]}, rows {@code nr} apart) and adds each column's values into {@code sums[sOff ..]} in row
     * order: the additions of {@link #addColumnSums}, so the same bits, while the rows pass by once.
     */
    default void copyRowsSumming(int rows, int width, float[] b, int src, int ldb, float[] data, int dst, int nr,
                                 float[] sums, int sOff) {
        for (int p = 0; p < rows; p++) {
            System.arraycopy(b, src + p * ldb, data, dst + p * nr, width);
        }
        addColumnSums(rows, width, b, src, ldb, sums, sOff);
    }

    /**
     * {@code y = from + a0 x[o0..] + a1 x[o1..] + a2 x[o2..] + a3 x[o3..]} over n elements, where only the first
     * {@code terms} (1 to 4) of the coefficients may be non-zero ({@code from} may be y itself: up to four axpy
     * updates in one pass over y), the inner step of products with a few inner terms.
     */
    default void axpy4(int terms, float a0, float a1, float a2, float a3, float[] x, int o0, int o1, int o2, int o3,
                       float[] from, int fromOff, float[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) {
            y[yOff + k] = from[fromOff + k] + (a0 * x[o0 + k] + a1 * x[o1 + k] + a2 * x[o2 + k] + a3 * x[o3 + k]);
        }
    }

    /**
     * Whether {@link #axpy4Rows} adds its terms to {@code from} one fused multiply-add at a time, in term order, on
     * whole vectors, as {@link #packedPanel} adds a product's terms: then a few terms may run as the first inner rows
     * of a product, with the same bits. The scalar kernels sum the terms before they add them.
     */
    default boolean fewTermsAsProductTerms() {
        return false;
    }

    /**
     * {@link #axpy4} for {@code rows} rows of C: row i is {@code y[yOff + i * ldy ..] = from[fromOff + i * fromLd ..] +
     * sum_p A(i, p) x[p * n ..]} over n elements, {@code A(i, p) = a[aOff + i * ars + p * acs]} for {@code p <
     * terms} (1 to 4): a product with a few inner terms (an input projection of a few features), B's rows in x.
     */
    default void axpy4Rows(int rows, int terms, float[] a, int aOff, int ars, int acs, float[] x, int n, float[] from,
                           int fromOff, int fromLd, float[] y, int yOff, int ldy) {
        for (int i = 0; i < rows; i++) {
            int ai = aOff + i * ars;
            float a1 = terms > 1 ? a[ai + acs] : 0f;
            float a2 = terms > 2 ? a[ai + 2 * acs] : 0f;
            float a3 = terms > 3 ? a[ai + 3 * acs] : 0f;
            axpy4(terms, a[ai], a1, a2, a3, x, 0, n, 2 * n, 3 * n, from, fromOff + i * fromLd, y, yOff + i * ldy, n);
        }
    }

    /** Columns of a row of the weights {@link #hotColumns} reads: inputs of up to this many features. */
    default int hotColumnsWidth() {
        return 80;
    }

    /**
     * One panel's gates before their recurrent terms, for inputs with at most one non-zero feature each (one-hot
     * characters): {@code out[outOff + g * NR + j] = bias[g] + value[j] * w[g * hotColumnsWidth() + column[j]]} for
     * rows {@code g < rows} and lanes {@code j < NR} ({@link #panelWidth()}), or {@code bias[g]} where {@code value[j]}
     * is zero. Each element is rounded as {@link #addRow} rounds it, so a lanes pass gets a sparse projection's bits.
     */
    default void hotColumns(int rows, float[] w, float[] bias, int[] column, float[] value, float[] out, int outOff) {
        int nr = panelWidth();
        int width = hotColumnsWidth();
        for (int g = 0; g < rows; g++) {
            for (int j = 0; j < nr; j++) {
                float v = value[j];
                out[outOff + g * nr + j] = v != 0f ? bias[g] + v * w[g * width + column[j]] : bias[g];
            }
        }
    }

    /** Columns of one packed panel of B in {@link Gemm}: the width of the micro-kernel {@link #panel}. */
    default int panelWidth() {
        return 8;
    }

    /**
     * Rows of C the micro-kernel keeps in registers at once ({@link Gemm}'s row block): a tile of {@code panelRows()}
     * by {@link #panelWidth()} accumulators plus the panel's vectors must fit the register file.
     */
    default int panelRows() {
        return 6;
    }

    /**
     * {@link #panel} for an A packed by {@link Gemm} into row blocks: {@code A(i, p) = a[aOff + p * panelRows() + i]}
     * for {@code i < rows} (at most {@link #panelRows()}); the block is zero-padded to {@code panelRows()} rows.
     */
    default void packedPanel(int rows, int k, float[] a, int aOff, float[] panel, int pOff, float[] c, int cOff,
                             int ldc, int width) {
        panel(rows, k, a, aOff, 1, panelRows(), panel, pOff, c, cOff, ldc, width);
    }

    /**
     * One row of C across {@code count} full panels of one packed block: {@code C[0, q NR + j] += sum_p A(0, p) *
     * packed[pOff + q * pStride + p * NR + j]} for {@code q < count}, {@code A(0, p) = a[aOff + p * acs]}. The same
     * sums as {@link #panel} with one row, panel by panel; a vector version runs several panels at once so their
     * chains of multiply-adds overlap (one row alone waits on each add).
     */
    default void rowPanels(int k, float[] a, int aOff, int acs, float[] packed, int pOff, int pStride, int count,
                           float[] c, int cOff) {
        int nr = panelWidth();
        for (int q = 0; q < count; q++) {
            panel(1, k, a, aOff, 0, acs, packed, pOff + q * pStride, c, cOff + q * nr, 0, nr);
        }
    }

    /**
     * The micro-kernel of {@link Gemm}: {@code C[i, j] += sum_p A(i, p) * panel[pOff + p * panelWidth() + j]} for rows
     * {@code i < rows} (at most {@link #panelRows()}) and columns {@code j < width} (at most {@link #panelWidth()}), where
     * {@code A(i, p) = a[aOff + i * ars + p * acs]} and row i of C starts at {@code cOff + i * ldc}. Each C element
     * adds its k products in p order.
     */
    default void panel(int rows, int k, float[] a, int aOff, int ars, int acs, float[] panel, int pOff,
                       float[] c, int cOff, int ldc, int width) {
        int nr = panelWidth();
        for (int i = 0; i < rows; i++) {
            int ai = aOff + i * ars;
            int ci = cOff + i * ldc;
            for (int j = 0; j < width; j++) {
                float s = c[ci + j];
                for (int p = 0; p < k; p++) {
                    s += a[ai + p * acs] * panel[pOff + p * nr + j];
                }
                c[ci + j] = s;
            }
        }
    }

    /**
     * One row block of {@link Gemm}'s packed A: {@code rows} (at most {@code mr}) rows of {@code k} contiguous floats,
     * row i at {@code src + i * lda}, copied column by column into {@code into[dst + p mr + i]}, rows from {@code rows}
     * to {@code mr} as zeros.
     */
    default void packRowBlock(int rows, int k, float[] a, int src, int lda, float[] into, int dst, int mr) {
        for (int i = 0; i < rows; i++) {
            int from = src + i * lda;
            for (int p = 0; p < k; p++) {
                into[dst + p * mr + i] = a[from + p];
            }
        }
        for (int i = rows; i < mr; i++) {
            for (int p = 0; p < k; p++) {
                into[dst + p * mr + i] = 0f;
            }
        }
    }

    /**
     * The gates of {@code rows} LSTM rows, in place: each row holds {@code 4 * hidden} pre-activations (block order i,
     * o, f, c) from {@code act[a + r * 4 * hidden]}; sigmoid on i, o and f, tanh on c (the candidate g).
     */
    default void lstmGates(float[] act, int a, int rows, int hidden) {
        for (int r = 0; r < rows; r++) {
            int at = a + r * 4 * hidden;
            sigmoid(act, at, 3 * hidden);
            tanh(act, at + 3 * hidden, hidden);
        }
    }

    /**
     * The state of {@code rows} LSTM rows after their gates (block order i, o, f, c, activated; rows {@code 4 * hidden}
     * apart from {@code act[a]}): {@code c = f * cPrev + i * g}, {@code tanhC = tanh(c)}, {@code h = o * tanhC}; the
     * rows of cs, tanhC and hs are {@code hidden} apart, from {@code prev} (cPrev) and {@code cur} (c, tanhC, h).
     */
    default void lstmState(float[] act, int a, int rows, int hidden, float[] cs, int prev, int cur, float[] tanhC,
                           float[] hs) {
        int oo = hidden;
        int of = 2 * hidden;
        int oc = 3 * hidden;
        for (int r = 0; r < rows; r++) {
            int at = a + r * 4 * hidden;
            int p = prev + r * hidden;
            int c = cur + r * hidden;
            for (int j = 0; j < hidden; j++) {
                cs[c + j] = act[at + of + j] * cs[p + j] + act[at + j] * act[at + oc + j];
            }
        }
        System.arraycopy(cs, cur, tanhC, cur, rows * hidden);
        tanh(tanhC, cur, rows * hidden);
        for (int r = 0; r < rows; r++) {
            int at = a + r * 4 * hidden;
            int c = cur + r * hidden;
            for (int j = 0; j < hidden; j++) {
                hs[c + j] = act[at + oo + j] * tanhC[c + j];
            }
        }
    }

    /**
     * An LSTM row's backward without peepholes (see {@code LstmCell}): from {@code dh} and the carried {@code dcIn},
     * the pre-activation gradients {@code dA[a ..]} (blocks i, o, f, c) and {@code dcPrev}; coupled: {@code f = 1 - i}.
     * Row vectors of {@code hidden} units start at {@code d} in dh, dcIn and dcPrev.
     */
    default void lstmBackward(float[] act, int a, int hidden, float[] cs, int prev, int cur, float[] tanhC, float[] dh,
                              float[] dcIn, float[] dcPrev, int d, float[] dA, boolean coupled) {
        lstmBackwardUnits(0, hidden, act, a, hidden, cs, prev, cur, tanhC, dh, dcIn, dcPrev, d, dA, coupled);
    }

    /** {@link #lstmBackward} for units {@code [from, to)} only, one at a time (the vector kernels' tail). */
    static void lstmBackwardUnits(int from, int to, float[] act, int a, int hidden, float[] cs, int prev, int cur,
                                  float[] tanhC, float[] dh, float[] dcIn, float[] dcPrev, int d, float[] dA,
                                  boolean coupled) {
        int oo = hidden;
        int of = 2 * hidden;
        int oc = 3 * hidden;
        for (int j = from; j < to; j++) {
            float i = act[a + j];
            float o = act[a + oo + j];
            float f = act[a + of + j];
            float g = act[a + oc + j];
            float cPrev = cs[prev + j];
            float tc = tanhC[cur + j];
            float dhj = dh[d + j];
            float dao = dhj * tc * o * (1 - o);
            float dc = dcIn[d + j] + dhj * o * (1 - tc * tc);
            float di = dc * g;
            float daf = 0f;
            if (coupled) {
                di -= dc * cPrev;
            } else {
                daf = dc * cPrev * f * (1 - f);
            }
            dcPrev[d + j] = dc * f;
            dA[a + j] = di * i * (1 - i);
            dA[a + oo + j] = dao;
            dA[a + of + j] = daf;
            dA[a + oc + j] = dc * i * (1 - g * g);
        }
    }

    /** {@code out[outOff + k] = dy[dyOff + k] * (1 - y[yOff + k]^2)}: the gradient through {@code y = tanh(x)}. */
    default void tanhBackward(float[] dy, int dyOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int k = 0; k < n; k++) {
            float v = y[yOff + k];
            out[outOff + k] = dy[dyOff + k] * (1 - v * v);
        }
    }

    /** {@code out[outOff + k] = x[xOff + k] * y[yOff + k]} for {@code k < n}. */
    default void hadamard(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = x[xOff + k] * y[yOff + k];
        }
    }

    /**
     * A GRU row's candidate and output (see {@code GruCell}), its gates z and r already activated: {@code h~ =
     * tanh(xp_h + r * q)} (linear before reset) or {@code tanh(xp_h + q)}, {@code q} the recurrent candidate term at
     * {@code rec[q]}, into act's block h; then {@code h_t = (1 - z) h~ + z h_{t-1}} into {@code hs[cur]}. Blocks z, r,
     * h of {@code 3 * hidden} from {@code a} in act and xp; {@code h_{t-1}} at {@code hs[prev]}.
     */
    default void gruOutput(float[] act, float[] xp, int a, int hidden, float[] rec, int q, float[] hs, int prev, int cur,
                           boolean linearBeforeReset) {
        gruCandidateUnits(0, hidden, act, xp, a, hidden, rec, q, linearBeforeReset);
        tanh(act, a + GruGate.H.offset(hidden), hidden);
        gruOutputUnits(0, hidden, act, a, hidden, hs, prev, cur);
    }

    /** {@link #gruOutput}'s pre-activation {@code xp_h + r * q} or {@code xp_h + q} for units {@code [from, to)}. */
    static void gruCandidateUnits(int from, int to, float[] act, float[] xp, int a, int hidden, float[] rec, int q,
                                  boolean linearBeforeReset) {
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        for (int j = from; j < to; j++) {
            float recH = rec[q + j];
            act[a + oh + j] = xp[a + oh + j] + (linearBeforeReset ? act[a + or + j] * recH : recH);
        }
    }

    /** {@link #gruOutput}'s {@code h_t = (1 - z) h~ + z h_{t-1}} for units {@code [from, to)}. */
    static void gruOutputUnits(int from, int to, float[] act, int a, int hidden, float[] hs, int prev, int cur) {
        int oz = GruGate.Z.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        for (int j = from; j < to; j++) {
            float z = act[a + oz + j];
            hs[cur + j] = (1 - z) * act[a + oh + j] + z * hs[prev + j];
        }
    }

    /**
     * A GRU row's candidate gradient (see {@code GruCell}): {@code da_h = dh (1 - z) (1 - h~^2)} into dA's block h, and
     * into dRec's {@code da_h r} (linear before reset) or {@code da_h}. Blocks z, r, h of {@code 3 * hidden} from
     * {@code a} in act, dA and dRec; dh's row at {@code d}.
     */
    default void gruCandidateBackward(float[] act, int a, int hidden, float[] dh, int d, float[] dA, float[] dRec,
                                      boolean linearBeforeReset) {
        gruCandidateBackwardUnits(0, hidden, act, a, hidden, dh, d, dA, dRec, linearBeforeReset);
    }

    /** {@link #gruCandidateBackward} for units {@code [from, to)} only (the vector kernels' tail). */
    static void gruCandidateBackwardUnits(int from, int to, float[] act, int a, int hidden, float[] dh, int d,
                                          float[] dA, float[] dRec, boolean linearBeforeReset) {
        int oz = GruGate.Z.offset(hidden);
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        for (int j = from; j < to; j++) {
            float z = act[a + oz + j];
            float cand = act[a + oh + j];
            float dah = dh[d + j] * (1 - z) * (1 - cand * cand);
            dA[a + oh + j] = dah;
            dRec[a + oh + j] = linearBeforeReset ? dah * act[a + or + j] : dah;
        }
    }

    /**
     * The rest of a GRU row's backward, after {@link #gruCandidateBackward}: the gradients of z's and r's
     * pre-activations into dA and dRec, and {@code dh_{t-1}} into {@code dhPrev[d]}. Linear before reset, {@code dr =
     * da_h q} with {@code q} at {@code aux[x]}, and {@code dh_{t-1} = dh z}; otherwise {@code dr = d(rh) h_{t-1}} and
     * {@code dh_{t-1} = dh z + d(rh) r}, {@code d(rh)} at {@code drh[d]}. {@code h_{t-1}} at {@code hs[prev]}.
     */
    default void gruGatesBackward(float[] act, int a, int hidden, float[] hs, int prev, float[] aux, int x,
                                  float[] dh, float[] drh, float[] dhPrev, int d, float[] dA, float[] dRec,
                                  boolean linearBeforeReset) {
        gruGatesBackwardUnits(0, hidden, act, a, hidden, hs, prev, aux, x, dh, drh, dhPrev, d, dA, dRec,
                linearBeforeReset);
    }

    /** {@link #gruGatesBackward} for units {@code [from, to)} only (the vector kernels' tail). */
    static void gruGatesBackwardUnits(int from, int to, float[] act, int a, int hidden, float[] hs, int prev,
                                      float[] aux, int x, float[] dh, float[] drh, float[] dhPrev, int d, float[] dA,
                                      float[] dRec, boolean linearBeforeReset) {
        int oz = GruGate.Z.offset(hidden);
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        for (int j = from; j < to; j++) {
            float z = act[a + oz + j];
            float r = act[a + or + j];
            float cand = act[a + oh + j];
            float hPrev = hs[prev + j];
            float dhj = dh[d + j];
            float dr;
            if (linearBeforeReset) {
                dr = dA[a + oh + j] * aux[x + j];
                dhPrev[d + j] = dhj * z;
            } else {
                dr = drh[d + j] * hPrev;
                dhPrev[d + j] = dhj * z + drh[d + j] * r;
            }
            float daz = dhj * (hPrev - cand) * z * (1 - z);
            float dar = dr * r * (1 - r);
            dA[a + oz + j] = daz;
            dA[a + or + j] = dar;
            dRec[a + oz + j] = daz;
            dRec[a + or + j] = dar;
        }
    }

    /** In place: {@code x[off + k] = 1 / (1 + exp(-x[off + k]))} for {@code k < n}. */
    default void sigmoid(float[] x, int off, int n) {
        for (int k = off; k < off + n; k++) {
            x[k] = (float) (1.0 / (1.0 + Math.exp(-x[k])));
        }
    }

    /** In place: {@code x[off + k] = tanh(x[off + k])} for {@code k < n}. */
    default void tanh(float[] x, int off, int n) {
        for (int k = off; k < off + n; k++) {
            x[k] = (float) Math.tanh(x[k]);
        }
    }

    /**
     * Inverted dropout over elements {@code [from, to)}: {@code mask[i] = 1 / keep} where draw {@code first + i} of the
     * stream {@code streamSeed} ({@link DropoutStream#draw}) is below {@code keep}, else 0; {@code y[i] = x[i] *
     * mask[i]}. Each element's draw follows from its index alone, so ranges may run on any thread.
     */
    default void dropout(long streamSeed, long first, float keep, float[] x, float[] mask, float[] y, int from,
                         int to) {
        float scale = 1f / keep;
        long threshold = DropoutStream.keepThreshold(keep);
        for (int i = from; i < to; i++) {
            mask[i] = DropoutStream.maskValue(DropoutStream.drawBits(streamSeed, first + i), threshold, scale);
            y[i] = x[i] * mask[i];
        }
    }

    /** {@code vector} or {@code scalar}. */
    String name();

    /** Plain Java loops; always available. */
    static Kernels scalar() {
        return new ScalarKernels();
    }

    /**
     * Whether the incubating Vector API module is loaded in this JVM, and {@code jdk.unsupported}, whose {@code
     * sun.misc.Unsafe} the vector micro-kernels read A through (every JDK has it unless a trimmed runtime left it out).
     */
    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && ModuleLayer.boot().findModule("jdk.unsupported").isPresent();
    }

    /**
     * The Vector API kernels.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    static Kernels vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("The Vector API is not available: start the JVM with "
                    + "--add-modules jdk.incubator.vector (and a runtime that has jdk.unsupported)");
        }
        try {
            return (Kernels) Class.forName("dev.rnn4j.nativeengine.kernels.VectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("Cannot load the Vector API kernels: " + e, e);
        }
    }

    /** Vector kernels where available, scalar otherwise. */
    static Kernels best() {
        return vectorAvailable() ? vector() : scalar();
    }
}
