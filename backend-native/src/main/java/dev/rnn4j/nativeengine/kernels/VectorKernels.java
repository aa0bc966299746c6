package dev.rnn4j.nativeengine.kernels;

import dev.rnn4j.params.GruGate;
import dev.rnn4j.spi.DropoutStream;
import java.lang.reflect.Field;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@code jdk.incubator.vector} kernels with fused multiply-add; loaded only when the module is present. */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Long vectors of the same width as S, half as many lanes: two of them hold the draws of one float vector. */
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** Int vectors with S's lanes (column indices). */
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    /**
     * The scalar kernel's draws, a float vector of counters at a time: SplittableRandom's mix of each element's
     * counter in two long vectors, and {@code draw < keep} tested on the integers
     * ({@link DropoutStream#keepThreshold}), so the masks are the same bits. Only S-shaped float vectors are used: a
     * second float shape loaded in the JVM made the micro-kernel's calls polymorphic, and the JIT then left its vector
     * operations as allocating calls (measured: 735 MB per D step).
     */
    @Override
    public void dropout(long streamSeed, long first, float keep, float[] x, float[] mask, float[] y, int from,
                        int to) {
        float scale = 1f / keep;
        long threshold = DropoutStream.keepThreshold(keep);
        int half = L.length();
        int lanes = S.length();
        int i = from;
        int upper = half * 2 == lanes ? from + (to - from) / lanes * lanes : from;
        if (i < upper) {
            // counter of element i + lane: streamSeed + (first + i + lane + 1) * gamma
            LongVector low = LongVector.broadcast(L, streamSeed + (first + i + 1) * DropoutStream.GOLDEN_GAMMA)
                    .add(LongVector.zero(L).addIndex(1).mul(DropoutStream.GOLDEN_GAMMA));
            LongVector high = low.add(half * DropoutStream.GOLDEN_GAMMA);
            long step = lanes * DropoutStream.GOLDEN_GAMMA;
            for (; i < upper; i += lanes) {
                FloatVector m = keptAsOne(low, threshold, 0).add(keptAsOne(high, threshold, -1)).mul(scale);
                m.intoArray(mask, i);
                FloatVector.fromArray(S, x, i).mul(m).intoArray(y, i);
                low = low.add(step);
                high = high.add(step);
            }
        }
        Kernels.super.dropout(streamSeed, first, keep, x, mask, y, i, to);
    }

    /**
     * 1 where the draw of a lane's counter is kept, else 0, as floats in part {@code part} of an S vector (0: the
     * low half of the lanes, -1: the high half; the other half 0).
     */
    private static FloatVector keptAsOne(LongVector counter, long threshold, int part) {
        LongVector z = counter;
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xbf58476d1ce4e5b9L);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94d049bb133111ebL);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
        VectorMask<Long> kept = z.lanewise(VectorOperators.LSHR, 11).lt(threshold);
        LongVector one = LongVector.zero(L).blend(1L, kept);
        return (FloatVector) one.convertShape(VectorOperators.L2F, S, part);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int k = 0;
        float sum = 0;
        int upper = S.loopBound(n);
        if (upper > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; k < upper; k += S.length()) {
                acc = FloatVector.fromArray(S, a, aOff + k).fma(FloatVector.fromArray(S, b, bOff + k), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; k < n; k++) {
            sum += a[aOff + k] * b[bOff + k];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int k = axpyVectors(alpha, x, xOff, y, yOff, n); k < n; k++) {
            y[yOff + k] += alpha * x[xOff + k];
        }
    }

    /** Fused multiply-adds, as the micro-kernels' ({@code FloatVector.fma}), in the tail too ({@code Math.fma}). */
    @Override
    public void addRow(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int k = axpyVectors(alpha, x, xOff, y, yOff, n); k < n; k++) {
            y[yOff + k] = Math.fma(alpha, x[xOff + k], y[yOff + k]);
        }
    }

    /** A full panel (two vectors wide): each row's two vectors copied and added to the sums held in registers. */
    @Override
    public void copyRowsSumming(int rows, int width, float[] b, int src, int ldb, float[] data, int dst, int nr,
                                float[] sums, int sOff) {
        int l = S.length();
        if (width != 2 * l) {
            Kernels.super.copyRowsSumming(rows, width, b, src, ldb, data, dst, nr, sums, sOff);
            return;
        }
        FloatVector s0 = FloatVector.fromArray(S, sums, sOff);
        FloatVector s1 = FloatVector.fromArray(S, sums, sOff + l);
        for (int p = 0; p < rows; p++) {
            FloatVector v0 = FloatVector.fromArray(S, b, src + p * ldb);
            FloatVector v1 = FloatVector.fromArray(S, b, src + p * ldb + l);
            v0.intoArray(data, dst + p * nr);
            v1.intoArray(data, dst + p * nr + l);
            s0 = s0.add(v0);
            s1 = s1.add(v1);
        }
        s0.intoArray(sums, sOff);
        s1.intoArray(sums, sOff + l);
    }

    /**
     * Eight vectors of columns at a time summed down all the rows in registers (the old row-by-row {@link #axpy}
     * loaded and stored every sum once per row: 8% of C's training step), then single vectors, then single columns;
     * the same additions in the same order, so the same bits.
     */
    @Override
    public void addColumnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        int l = S.length();
        int j = 0;
        for (; j + 8 * l <= n; j += 8 * l) {
            int s0 = sOff + j;
            FloatVector v0 = FloatVector.fromArray(S, sums, s0);
            FloatVector v1 = FloatVector.fromArray(S, sums, s0 + l);
            FloatVector v2 = FloatVector.fromArray(S, sums, s0 + 2 * l);
            FloatVector v3 = FloatVector.fromArray(S, sums, s0 + 3 * l);
            FloatVector v4 = FloatVector.fromArray(S, sums, s0 + 4 * l);
            FloatVector v5 = FloatVector.fromArray(S, sums, s0 + 5 * l);
            FloatVector v6 = FloatVector.fromArray(S, sums, s0 + 6 * l);
            FloatVector v7 = FloatVector.fromArray(S, sums, s0 + 7 * l);
            for (int i = 0; i < m; i++) {
                int r = aOff + i * lda + j;
                v0 = v0.add(FloatVector.fromArray(S, a, r));
                v1 = v1.add(FloatVector.fromArray(S, a, r + l));
                v2 = v2.add(FloatVector.fromArray(S, a, r + 2 * l));
                v3 = v3.add(FloatVector.fromArray(S, a, r + 3 * l));
                v4 = v4.add(FloatVector.fromArray(S, a, r + 4 * l));
                v5 = v5.add(FloatVector.fromArray(S, a, r + 5 * l));
                v6 = v6.add(FloatVector.fromArray(S, a, r + 6 * l));
                v7 = v7.add(FloatVector.fromArray(S, a, r + 7 * l));
            }
            v0.intoArray(sums, s0);
            v1.intoArray(sums, s0 + l);
            v2.intoArray(sums, s0 + 2 * l);
            v3.intoArray(sums, s0 + 3 * l);
            v4.intoArray(sums, s0 + 4 * l);
            v5.intoArray(sums, s0 + 5 * l);
            v6.intoArray(sums, s0 + 6 * l);
            v7.intoArray(sums, s0 + 7 * l);
        }
        for (; j + l <= n; j += l) {
            FloatVector v = FloatVector.fromArray(S, sums, sOff + j);
            for (int i = 0; i < m; i++) {
                v = v.add(FloatVector.fromArray(S, a, aOff + i * lda + j));
            }
            v.intoArray(sums, sOff + j);
        }
        for (; j < n; j++) {
            float v = sums[sOff + j];
            for (int i = 0; i < m; i++) {
                v += a[aOff + i * lda + j];
            }
            sums[sOff + j] = v;
        }
    }

    /** {@code y += alpha x} by fused multiply-adds over the whole vectors of n; returns where the tail starts. */
    private static int axpyVectors(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int upper = S.loopBound(n);
        if (upper > 0) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int k = 0; k < upper; k += S.length()) {
                FloatVector.fromArray(S, x, xOff + k).fma(va, FloatVector.fromArray(S, y, yOff + k))
                        .intoArray(y, yOff + k);
            }
        }
        return upper;
    }

    @Override
    public void axpy4(int terms, float a0, float a1, float a2, float a3, float[] x, int o0, int o1, int o2, int o3,
                      float[] from, int fromOff, float[] y, int yOff, int n) {
        int k = 0;
        int upper = S.loopBound(n);
        if (upper > 0) {
            FloatVector v0 = FloatVector.broadcast(S, a0);
            FloatVector v1 = FloatVector.broadcast(S, a1);
            FloatVector v2 = FloatVector.broadcast(S, a2);
            FloatVector v3 = FloatVector.broadcast(S, a3);
            for (; k < upper; k += S.length()) {
                FloatVector acc = FloatVector.fromArray(S, from, fromOff + k);
                acc = FloatVector.fromArray(S, x, o0 + k).fma(v0, acc);
                if (terms > 1) {
                    acc = FloatVector.fromArray(S, x, o1 + k).fma(v1, acc);
                }
                if (terms > 2) {
                    acc = FloatVector.fromArray(S, x, o2 + k).fma(v2, acc);
                }
                if (terms > 3) {
                    acc = FloatVector.fromArray(S, x, o3 + k).fma(v3, acc);
                }
                acc.intoArray(y, yOff + k);
            }
        }
        for (; k < n; k++) {
            y[yOff + k] = from[fromOff + k] + (a0 * x[o0 + k] + a1 * x[o1 + k] + a2 * x[o2 + k] + a3 * x[o3 + k]);
        }
    }

    /** A row's whole vectors take their terms one fused multiply-add at a time (the last few floats do not). */
    @Override
    public boolean fewTermsAsProductTerms() {
        return true;
    }

    /**
     * The rows in one call, each row's the same multiply-adds as {@link #axpy4}'s (the same bits): called row by row,
     * the set-up of each call cost more than the row's few vectors (C's input projection, 128 columns a row: 5% of its
     * training step).
     */
    @Override
    public void axpy4Rows(int rows, int terms, float[] a, int aOff, int ars, int acs, float[] x, int n, float[] from,
                          int fromOff, int fromLd, float[] y, int yOff, int ldy) {
        int upper = S.loopBound(n);
        for (int i = 0; i < rows; i++) {
            int ai = aOff + i * ars;
            float a0 = a[ai];
            float a1 = terms > 1 ? a[ai + acs] : 0f;
            float a2 = terms > 2 ? a[ai + 2 * acs] : 0f;
            float a3 = terms > 3 ? a[ai + 3 * acs] : 0f;
            int f = fromOff + i * fromLd;
            int o = yOff + i * ldy;
            FloatVector v0 = FloatVector.broadcast(S, a0);
            FloatVector v1 = FloatVector.broadcast(S, a1);
            FloatVector v2 = FloatVector.broadcast(S, a2);
            FloatVector v3 = FloatVector.broadcast(S, a3);
            int k = 0;
            for (; k < upper; k += S.length()) {
                FloatVector acc = FloatVector.fromArray(S, from, f + k);
                acc = FloatVector.fromArray(S, x, k).fma(v0, acc);
                if (terms > 1) {
                    acc = FloatVector.fromArray(S, x, n + k).fma(v1, acc);
                }
                if (terms > 2) {
                    acc = FloatVector.fromArray(S, x, 2 * n + k).fma(v2, acc);
                }
                if (terms > 3) {
                    acc = FloatVector.fromArray(S, x, 3 * n + k).fma(v3, acc);
                }
                acc.intoArray(y, o + k);
            }
            for (; k < n; k++) {
                y[o + k] = from[f + k] + (a0 * x[k] + a1 * x[n + k] + a2 * x[2 * n + k] + a3 * x[3 * n + k]);
            }
        }
    }

    /** Five vectors: 80 features with AVX-512, 40 with AVX2 ({@link #hotColumns} keeps a row's five in registers). */
    @Override
    public int hotColumnsWidth() {
        return 5 * S.length();
    }

    /**
     * A row's five vectors of weights loaded once; each half of the panel picks its lanes' columns out of them with
     * one shuffle per vector (the column's place within a vector) and a blend per vector after the first (which
     * vector): 2.4 times as fast as gathering the columns, measured at D's 1024 x 32.
     */
    @Override
    public void hotColumns(int rows, float[] w, float[] bias, int[] column, float[] value, float[] out, int outOff) {
        int l = S.length();
        int width = 5 * l;
        int shift = Integer.numberOfTrailingZeros(l);
        VectorShuffle<Float> lo0 = VectorShuffle.fromArray(S, column, 0).wrapIndexes();
        VectorShuffle<Float> lo1 = VectorShuffle.fromArray(S, column, l).wrapIndexes();
        IntVector vec0 = IntVector.fromArray(I, column, 0).lanewise(VectorOperators.LSHR, shift);
        IntVector vec1 = IntVector.fromArray(I, column, l).lanewise(VectorOperators.LSHR, shift);
        VectorMask<Float> a1 = vec0.compare(VectorOperators.GE, 1).cast(S);
        VectorMask<Float> a2 = vec0.compare(VectorOperators.GE, 2).cast(S);
        VectorMask<Float> a3 = vec0.compare(VectorOperators.GE, 3).cast(S);
        VectorMask<Float> a4 = vec0.compare(VectorOperators.GE, 4).cast(S);
        VectorMask<Float> b1 = vec1.compare(VectorOperators.GE, 1).cast(S);
        VectorMask<Float> b2 = vec1.compare(VectorOperators.GE, 2).cast(S);
        VectorMask<Float> b3 = vec1.compare(VectorOperators.GE, 3).cast(S);
        VectorMask<Float> b4 = vec1.compare(VectorOperators.GE, 4).cast(S);
        FloatVector v0 = FloatVector.fromArray(S, value, 0);
        FloatVector v1 = FloatVector.fromArray(S, value, l);
        VectorMask<Float> zero0 = v0.compare(VectorOperators.EQ, 0f);
        VectorMask<Float> zero1 = v1.compare(VectorOperators.EQ, 0f);
        for (int g = 0; g < rows; g++) {
            int row = g * width;
            FloatVector w0 = FloatVector.fromArray(S, w, row);
            FloatVector w1 = FloatVector.fromArray(S, w, row + l);
            FloatVector w2 = FloatVector.fromArray(S, w, row + 2 * l);
            FloatVector w3 = FloatVector.fromArray(S, w, row + 3 * l);
            FloatVector w4 = FloatVector.fromArray(S, w, row + 4 * l);
            FloatVector x0 = w0.rearrange(lo0).blend(w1.rearrange(lo0), a1).blend(w2.rearrange(lo0), a2)
                    .blend(w3.rearrange(lo0), a3).blend(w4.rearrange(lo0), a4);
            FloatVector x1 = w0.rearrange(lo1).blend(w1.rearrange(lo1), b1).blend(w2.rearrange(lo1), b2)
                    .blend(w3.rearrange(lo1), b3).blend(w4.rearrange(lo1), b4);
            FloatVector b = FloatVector.broadcast(S, bias[g]);
            int o = outOff + g * 2 * l;
            v0.fma(x0, b).blend(b, zero0).intoArray(out, o); // as addRow: one fused multiply-add
            v1.fma(x1, b).blend(b, zero1).intoArray(out, o + l);
        }
    }

    /** Two full vectors: 32 floats with AVX-512, 16 with AVX2. */
    @Override
    public int panelWidth() {
        return 2 * S.length();
    }

    /**
     * Rows of the micro-kernel's tile: twelve with AVX-512's 32 registers (24 accumulators, two panel vectors, one
     * broadcast: 24 FMAs per 2 panel loads and 12 broadcasts), six with AVX2's 16.
     */
    @Override
    public int panelRows() {
        return WIDE_TILE ? 12 : 6;
    }

    /** Whether the register file holds a 12-row tile: 32 vector registers, which only AVX-512 has. */
    private static final boolean WIDE_TILE = S.length() >= 16;

    /**
     * What the micro-kernels ({@link #packedPanel}'s 12- and 8-row tiles, {@link #panel}'s 6-row one) read A through:
     * by address, after one range check per call that covers every read, instead of array reads whose bounds checks
     * the JIT leaves in the loop (it cannot hoist them from A's index, {@code 12 p} or {@code p acs}). The 1024^3
     * product ran 1-2% faster so on AVX-512, at 90% of MKL's speed instead of 89%, and 1.08-1.31x faster on AVX2's
     * 6-row tile (docs/speed.md, nineteenth session). {@code sun.misc.Unsafe} is in {@code jdk.unsupported}, which
     * {@link Kernels#vectorAvailable} requires.
     */
    private static final sun.misc.Unsafe A_READS = unsafe();
    /** Bytes from a float array's start to its element 0, for {@link #A_READS}. */
    private static final long FLOAT_BASE = A_READS.arrayBaseOffset(float[].class);

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read sun.misc.Unsafe.theUnsafe: " + e, e);
        }
    }

    /**
     * The byte address of {@code a[aOff]} for a kernel reading {@code A(i, p) = a[aOff + i ars + p acs]}, {@code i <
     * rows}, {@code p < k}, after checking that every value it reads is inside {@code a} (the extremes of an affine
     * index over a box are at its corners).
     */
    private static long stridedStart(float[] a, int aOff, int ars, int acs, int rows, int k) {
        if (k > 0) {
            long down = (long) (rows - 1) * ars;
            long across = (long) (k - 1) * acs;
            long low = aOff + Math.min(0, down) + Math.min(0, across);
            long high = aOff + Math.max(0, down) + Math.max(0, across);
            if (low < 0 || high >= a.length) {
                throw new IndexOutOfBoundsException("A's reads " + low + ".." + high + " outside [0, " + a.length + ")");
            }
        }
        return FLOAT_BASE + 4L * aOff;
    }

    @Override
    public void packedPanel(int rows, int k, float[] a, int aOff, float[] panel, int pOff, float[] c, int cOff,
                            int ldc, int width) {
        if (!WIDE_TILE) {
            panel(rows, k, a, aOff, 1, panelRows(), panel, pOff, c, cOff, ldc, width);
            return;
        }
        if (rows == 12) {
            packedPanel12(k, a, aOff, panel, pOff, c, cOff, ldc);
            return;
        }
        int i = 0;
        if (rows >= 8) {
            packedPanel8(k, a, aOff, panel, pOff, c, cOff, ldc);
            i = 8;
        }
        if (i < rows) {
            panel(rows - i, k, a, aOff + i, 1, 12, panel, pOff, c, cOff + i * ldc, ldc, width);
        }
    }

    /**
     * Twelve rows of C by two vectors, A packed ({@code A(i, p) = a[aOff + 12 p + i]}): each step loads the panel's
     * two vectors once and broadcasts twelve consecutive A values.
     */
    private static void packedPanel12(int k, float[] a, int aOff, float[] panel, int pOff, float[] c, int cOff,
                                      int ldc) {
        int l = S.length();
        int nr = 2 * l;
        int c0 = cOff;
        int c1 = cOff + 1 * ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        int c4 = cOff + 4 * ldc;
        int c5 = cOff + 5 * ldc;
        int c6 = cOff + 6 * ldc;
        int c7 = cOff + 7 * ldc;
        int c8 = cOff + 8 * ldc;
        int c9 = cOff + 9 * ldc;
        int c10 = cOff + 10 * ldc;
        int c11 = cOff + 11 * ldc;
        FloatVector r000 = FloatVector.fromArray(S, c, c0);
        FloatVector r001 = FloatVector.fromArray(S, c, c0 + l);
        FloatVector r010 = FloatVector.fromArray(S, c, c1);
        FloatVector r011 = FloatVector.fromArray(S, c, c1 + l);
        FloatVector r020 = FloatVector.fromArray(S, c, c2);
        FloatVector r021 = FloatVector.fromArray(S, c, c2 + l);
        FloatVector r030 = FloatVector.fromArray(S, c, c3);
        FloatVector r031 = FloatVector.fromArray(S, c, c3 + l);
        FloatVector r040 = FloatVector.fromArray(S, c, c4);
        FloatVector r041 = FloatVector.fromArray(S, c, c4 + l);
        FloatVector r050 = FloatVector.fromArray(S, c, c5);
        FloatVector r051 = FloatVector.fromArray(S, c, c5 + l);
        FloatVector r060 = FloatVector.fromArray(S, c, c6);
        FloatVector r061 = FloatVector.fromArray(S, c, c6 + l);
        FloatVector r070 = FloatVector.fromArray(S, c, c7);
        FloatVector r071 = FloatVector.fromArray(S, c, c7 + l);
        FloatVector r080 = FloatVector.fromArray(S, c, c8);
        FloatVector r081 = FloatVector.fromArray(S, c, c8 + l);
        FloatVector r090 = FloatVector.fromArray(S, c, c9);
        FloatVector r091 = FloatVector.fromArray(S, c, c9 + l);
        FloatVector r100 = FloatVector.fromArray(S, c, c10);
        FloatVector r101 = FloatVector.fromArray(S, c, c10 + l);
        FloatVector r110 = FloatVector.fromArray(S, c, c11);
        FloatVector r111 = FloatVector.fromArray(S, c, c11 + l);
        long aAt = stridedStart(a, aOff, 1, 12, 12, k);
        for (int p = 0; p < k; p++) {
            // B's offset linear in p: the JIT hoists its bounds checks out of the loop; A read by address
            long pa = aAt + 48L * p;
            int pb = pOff + nr * p;
            FloatVector b0 = FloatVector.fromArray(S, panel, pb);
            FloatVector b1 = FloatVector.fromArray(S, panel, pb + l);
            FloatVector x;
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 0));
            r000 = b0.fma(x, r000);
            r001 = b1.fma(x, r001);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 4));
            r010 = b0.fma(x, r010);
            r011 = b1.fma(x, r011);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 8));
            r020 = b0.fma(x, r020);
            r021 = b1.fma(x, r021);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 12));
            r030 = b0.fma(x, r030);
            r031 = b1.fma(x, r031);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 16));
            r040 = b0.fma(x, r040);
            r041 = b1.fma(x, r041);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 20));
            r050 = b0.fma(x, r050);
            r051 = b1.fma(x, r051);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 24));
            r060 = b0.fma(x, r060);
            r061 = b1.fma(x, r061);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 28));
            r070 = b0.fma(x, r070);
            r071 = b1.fma(x, r071);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 32));
            r080 = b0.fma(x, r080);
            r081 = b1.fma(x, r081);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 36));
            r090 = b0.fma(x, r090);
            r091 = b1.fma(x, r091);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 40));
            r100 = b0.fma(x, r100);
            r101 = b1.fma(x, r101);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 44));
            r110 = b0.fma(x, r110);
            r111 = b1.fma(x, r111);
        }
        r000.intoArray(c, c0);
        r001.intoArray(c, c0 + l);
        r010.intoArray(c, c1);
        r011.intoArray(c, c1 + l);
        r020.intoArray(c, c2);
        r021.intoArray(c, c2 + l);
        r030.intoArray(c, c3);
        r031.intoArray(c, c3 + l);
        r040.intoArray(c, c4);
        r041.intoArray(c, c4 + l);
        r050.intoArray(c, c5);
        r051.intoArray(c, c5 + l);
        r060.intoArray(c, c6);
        r061.intoArray(c, c6 + l);
        r070.intoArray(c, c7);
        r071.intoArray(c, c7 + l);
        r080.intoArray(c, c8);
        r081.intoArray(c, c8 + l);
        r090.intoArray(c, c9);
        r091.intoArray(c, c9 + l);
        r100.intoArray(c, c10);
        r101.intoArray(c, c10 + l);
        r110.intoArray(c, c11);
        r111.intoArray(c, c11 + l);
    }

    /** 8 rows of C by two vectors from A packed in blocks of twelve rows ({@code A(i, p) = a[aOff + 12 p + i]}). */
    private static void packedPanel8(int k, float[] a, int aOff, float[] panel, int pOff, float[] c, int cOff,
                                      int ldc) {
        int l = S.length();
        int nr = 2 * l;
        int c0 = cOff;
        int c1 = cOff + 1 * ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        int c4 = cOff + 4 * ldc;
        int c5 = cOff + 5 * ldc;
        int c6 = cOff + 6 * ldc;
        int c7 = cOff + 7 * ldc;
        FloatVector r000 = FloatVector.fromArray(S, c, c0);
        FloatVector r001 = FloatVector.fromArray(S, c, c0 + l);
        FloatVector r010 = FloatVector.fromArray(S, c, c1);
        FloatVector r011 = FloatVector.fromArray(S, c, c1 + l);
        FloatVector r020 = FloatVector.fromArray(S, c, c2);
        FloatVector r021 = FloatVector.fromArray(S, c, c2 + l);
        FloatVector r030 = FloatVector.fromArray(S, c, c3);
        FloatVector r031 = FloatVector.fromArray(S, c, c3 + l);
        FloatVector r040 = FloatVector.fromArray(S, c, c4);
        FloatVector r041 = FloatVector.fromArray(S, c, c4 + l);
        FloatVector r050 = FloatVector.fromArray(S, c, c5);
        FloatVector r051 = FloatVector.fromArray(S, c, c5 + l);
        FloatVector r060 = FloatVector.fromArray(S, c, c6);
        FloatVector r061 = FloatVector.fromArray(S, c, c6 + l);
        FloatVector r070 = FloatVector.fromArray(S, c, c7);
        FloatVector r071 = FloatVector.fromArray(S, c, c7 + l);
        long aAt = stridedStart(a, aOff, 1, 12, 8, k);
        for (int p = 0; p < k; p++) {
            // B's offset linear in p: the JIT hoists its bounds checks out of the loop; A read by address
            long pa = aAt + 48L * p;
            int pb = pOff + nr * p;
            FloatVector b0 = FloatVector.fromArray(S, panel, pb);
            FloatVector b1 = FloatVector.fromArray(S, panel, pb + l);
            FloatVector x;
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 0));
            r000 = b0.fma(x, r000);
            r001 = b1.fma(x, r001);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 4));
            r010 = b0.fma(x, r010);
            r011 = b1.fma(x, r011);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 8));
            r020 = b0.fma(x, r020);
            r021 = b1.fma(x, r021);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 12));
            r030 = b0.fma(x, r030);
            r031 = b1.fma(x, r031);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 16));
            r040 = b0.fma(x, r040);
            r041 = b1.fma(x, r041);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 20));
            r050 = b0.fma(x, r050);
            r051 = b1.fma(x, r051);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 24));
            r060 = b0.fma(x, r060);
            r061 = b1.fma(x, r061);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, pa + 28));
            r070 = b0.fma(x, r070);
            r071 = b1.fma(x, r071);
        }
        r000.intoArray(c, c0);
        r001.intoArray(c, c0 + l);
        r010.intoArray(c, c1);
        r011.intoArray(c, c1 + l);
        r020.intoArray(c, c2);
        r021.intoArray(c, c2 + l);
        r030.intoArray(c, c3);
        r031.intoArray(c, c3 + l);
        r040.intoArray(c, c4);
        r041.intoArray(c, c4 + l);
        r050.intoArray(c, c5);
        r051.intoArray(c, c5 + l);
        r060.intoArray(c, c6);
        r061.intoArray(c, c6 + l);
        r070.intoArray(c, c7);
        r071.intoArray(c, c7 + l);
    }

    /**
     * {@link Kernels#packRowBlock} for a full block of twelve rows with 16-float vectors: every four columns of the
     * block are 48 packed floats, three vectors, each gathered from the twelve rows in one load (2.4x faster than the
     * scalar copy on a block of 36 x 256, which went one float at a time).
     */
    @Override
    public void packRowBlock(int rows, int k, float[] a, int src, int lda, float[] into, int dst, int mr) {
        if (rows != mr || mr != 12 || S.length() != 16) {
            Kernels.super.packRowBlock(rows, k, a, src, lda, into, dst, mr);
            return;
        }
        int[] map = gatherMap(lda);
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            int out = dst + 12 * p;
            FloatVector.fromArray(S, a, src + p, map, 0).intoArray(into, out);
            FloatVector.fromArray(S, a, src + p, map, 16).intoArray(into, out + 16);
            FloatVector.fromArray(S, a, src + p, map, 32).intoArray(into, out + 32);
        }
        if (p < k) { // the last one to three columns
            Kernels.super.packRowBlock(rows, k - p, a, src + p, lda, into, dst + 12 * p, mr);
        }
    }

    /** Per thread, the gather offsets of {@link #packRowBlock} (48) and the row stride they are for (the last). */
    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> {
        int[] map = new int[49];
        map[48] = -1;
        return map;
    });

    /** Packed float q of four columns is row {@code q % 12}'s column {@code q / 12}: at {@code row lda + col}. */
    private static int[] gatherMap(int lda) {
        int[] map = GATHER.get();
        if (map[48] != lda) {
            for (int q = 0; q < 48; q++) {
                map[q] = (q % 12) * lda + q / 12;
            }
            map[48] = lda;
        }
        return map;
    }

    @Override
    public void rowPanels(int k, float[] a, int aOff, int acs, float[] packed, int pOff, int pStride, int count,
                          float[] c, int cOff) {
        int l = S.length();
        int nr = 2 * l;
        int q = 0;
        for (; q + 4 <= count; q += 4) {
            int c0 = cOff + q * nr;
            FloatVector r00 = FloatVector.fromArray(S, c, c0);
            FloatVector r01 = FloatVector.fromArray(S, c, c0 + l);
            FloatVector r10 = FloatVector.fromArray(S, c, c0 + nr);
            FloatVector r11 = FloatVector.fromArray(S, c, c0 + nr + l);
            FloatVector r20 = FloatVector.fromArray(S, c, c0 + 2 * nr);
            FloatVector r21 = FloatVector.fromArray(S, c, c0 + 2 * nr + l);
            FloatVector r30 = FloatVector.fromArray(S, c, c0 + 3 * nr);
            FloatVector r31 = FloatVector.fromArray(S, c, c0 + 3 * nr + l);
            int p0 = pOff + q * pStride;
            int p1 = p0 + pStride;
            int p2 = p1 + pStride;
            int p3 = p2 + pStride;
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(S, a[aOff + p * acs]);
                int o = p * nr;
                r00 = FloatVector.fromArray(S, packed, p0 + o).fma(x, r00);
                r01 = FloatVector.fromArray(S, packed, p0 + o + l).fma(x, r01);
                r10 = FloatVector.fromArray(S, packed, p1 + o).fma(x, r10);
                r11 = FloatVector.fromArray(S, packed, p1 + o + l).fma(x, r11);
                r20 = FloatVector.fromArray(S, packed, p2 + o).fma(x, r20);
                r21 = FloatVector.fromArray(S, packed, p2 + o + l).fma(x, r21);
                r30 = FloatVector.fromArray(S, packed, p3 + o).fma(x, r30);
                r31 = FloatVector.fromArray(S, packed, p3 + o + l).fma(x, r31);
            }
            r00.intoArray(c, c0);
            r01.intoArray(c, c0 + l);
            r10.intoArray(c, c0 + nr);
            r11.intoArray(c, c0 + nr + l);
            r20.intoArray(c, c0 + 2 * nr);
            r21.intoArray(c, c0 + 2 * nr + l);
            r30.intoArray(c, c0 + 3 * nr);
            r31.intoArray(c, c0 + 3 * nr + l);
        }
        for (; q < count; q++) {
            panel1(k, a, aOff, acs, packed, pOff + q * pStride, c, cOff + q * nr);
        }
    }

    /**
     * Register-blocked: six rows of C by two vectors are held in twelve accumulators while p runs over K; each step
     * loads two vectors of the packed panel once and broadcasts one A value per row (12 FMAs per 2 loads; four, two or
     * one rows at a time for the last rows). Always
     * the panel's full width: masked vector loads and stores fall back to slow Java code on this JDK, so {@link Gemm}
     * gives the right edge a full-width scratch copy.
     */
    @Override
    public void panel(int rows, int k, float[] a, int aOff, int ars, int acs, float[] panel, int pOff,
                      float[] c, int cOff, int ldc, int width) {
        int i = 0;
        if (rows == 6) {
            panel6(k, a, aOff, ars, acs, panel, pOff, c, cOff, ldc);
            return;
        }
        if (rows > 6) {
            panel(rows - 6, k, a, aOff + 6 * ars, ars, acs, panel, pOff, c, cOff + 6 * ldc, ldc, width);
            panel6(k, a, aOff, ars, acs, panel, pOff, c, cOff, ldc);
            return;
        }
        if (rows >= 4) {
            panel4(k, a, aOff, ars, acs, panel, pOff, c, cOff, ldc);
            i = 4;
        }
        if (rows - i >= 2) {
            panel2(k, a, aOff + i * ars, ars, acs, panel, pOff, c, cOff + i * ldc, ldc);
            i += 2;
        }
        for (; i < rows; i++) {
            panel1(k, a, aOff + i * ars, acs, panel, pOff, c, cOff + i * ldc);
        }
    }

    private static void panel6(int k, float[] a, int aOff, int ars, int acs, float[] panel, int pOff,
                               float[] c, int cOff, int ldc) {
        int l = S.length();
        int nr = 2 * l;
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        int c4 = cOff + 4 * ldc;
        int c5 = cOff + 5 * ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + l);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + l);
        FloatVector r20 = FloatVector.fromArray(S, c, c2);
        FloatVector r21 = FloatVector.fromArray(S, c, c2 + l);
        FloatVector r30 = FloatVector.fromArray(S, c, c3);
        FloatVector r31 = FloatVector.fromArray(S, c, c3 + l);
        FloatVector r40 = FloatVector.fromArray(S, c, c4);
        FloatVector r41 = FloatVector.fromArray(S, c, c4 + l);
        FloatVector r50 = FloatVector.fromArray(S, c, c5);
        FloatVector r51 = FloatVector.fromArray(S, c, c5 + l);
        int pb = pOff;
        long at = stridedStart(a, aOff, ars, acs, 6, k);
        long rowBytes = 4L * ars;
        long stepBytes = 4L * acs;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, pb);
            FloatVector b1 = FloatVector.fromArray(S, panel, pb + l);
            long ap = at + p * stepBytes;
            FloatVector x = FloatVector.broadcast(S, A_READS.getFloat(a, ap));
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, ap + 1 * rowBytes));
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, ap + 2 * rowBytes));
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, ap + 3 * rowBytes));
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, ap + 4 * rowBytes));
            r40 = b0.fma(x, r40);
            r41 = b1.fma(x, r41);
            x = FloatVector.broadcast(S, A_READS.getFloat(a, ap + 5 * rowBytes));
            r50 = b0.fma(x, r50);
            r51 = b1.fma(x, r51);
            pb += nr;
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + l);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + l);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + l);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + l);
        r40.intoArray(c, c4);
        r41.intoArray(c, c4 + l);
        r50.intoArray(c, c5);
        r51.intoArray(c, c5 + l);
    }

    private static void panel4(int k, float[] a, int aOff, int ars, int acs, float[] panel, int pOff,
                               float[] c, int cOff, int ldc) {
        int l = S.length();
        int nr = 2 * l;
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, c0);
        FloatVector r01 = FloatVector.fromArray(S, c, c0 + l);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + l);
        FloatVector r20 = FloatVector.fromArray(S, c, c2);
        FloatVector r21 = FloatVector.fromArray(S, c, c2 + l);
        FloatVector r30 = FloatVector.fromArray(S, c, c3);
        FloatVector r31 = FloatVector.fromArray(S, c, c3 + l);
        int a0 = aOff;
        int a1 = aOff + ars;
        int a2 = aOff + 2 * ars;
        int a3 = aOff + 3 * ars;
        int pb = pOff;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, pb);
            FloatVector b1 = FloatVector.fromArray(S, panel, pb + l);
            int ap = p * acs;
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            r20 = b0.fma(x, r20);
            r21 = b1.fma(x, r21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            r30 = b0.fma(x, r30);
            r31 = b1.fma(x, r31);
            pb += nr;
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + l);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + l);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + l);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + l);
    }

    /** Two rows of C by the panel's full width. */
    private static void panel2(int k, float[] a, int aOff, int ars, int acs, float[] panel, int pOff,
                               float[] c, int cOff, int ldc) {
        int l = S.length();
        int nr = 2 * l;
        int c1 = cOff + ldc;
        FloatVector r00 = FloatVector.fromArray(S, c, cOff);
        FloatVector r01 = FloatVector.fromArray(S, c, cOff + l);
        FloatVector r10 = FloatVector.fromArray(S, c, c1);
        FloatVector r11 = FloatVector.fromArray(S, c, c1 + l);
        int a1 = aOff + ars;
        int pb = pOff;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, pb);
            FloatVector b1 = FloatVector.fromArray(S, panel, pb + l);
            int ap = p * acs;
            FloatVector x = FloatVector.broadcast(S, a[aOff + ap]);
            r00 = b0.fma(x, r00);
            r01 = b1.fma(x, r01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            r10 = b0.fma(x, r10);
            r11 = b1.fma(x, r11);
            pb += nr;
        }
        r00.intoArray(c, cOff);
        r01.intoArray(c, cOff + l);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + l);
    }

    /** One row of C by the panel's full width. */
    private static void panel1(int k, float[] a, int aOff, int acs, float[] panel, int pOff, float[] c, int cOff) {
        int l = S.length();
        int nr = 2 * l;
        FloatVector r0 = FloatVector.fromArray(S, c, cOff);
        FloatVector r1 = FloatVector.fromArray(S, c, cOff + l);
        int pb = pOff;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[aOff + p * acs]);
            r0 = FloatVector.fromArray(S, panel, pb).fma(x, r0);
            r1 = FloatVector.fromArray(S, panel, pb + l).fma(x, r1);
            pb += nr;
        }
        r0.intoArray(c, cOff);
        r1.intoArray(c, cOff + l);
    }

    /*
     * Activations use exp built from add, multiply, fma, divide and bit operations only: IEEE-exact lane
     * operations give the same bits whether the JIT has compiled the Vector API intrinsics yet or not. The
     * library's lanewise EXP/TANH would switch from a Java fallback to SVML stubs mid-run, so the same seed
     * could give a different run. Range reduction and polynomial from Cephes expf (about 1 ulp).
     */
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    /*
     * exp's argument is clamped to [-87, 87] on its bits, as integers: the magnitude's bits, shifted up by SHIFT so that
     * NaN's (above infinity's) wrap to negative integers and pass the min untouched, then shifted back, the sign put
     * on again. The same bits as FloatVector.max(-87).min(87) for every float (checked over all 2^32 inputs of sigmoid
     * and tanh), and about a fifth cheaper per activation: Java's float max and min treat NaN and -0.0 apart from
     * the processor's instructions, which costs the JIT some five instructions each.
     */
    private static final int SHIFT = 0x7fffffff - Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
    private static final int CLAMP = Float.floatToRawIntBits(87f) + SHIFT;

    @Override
    public void sigmoid(float[] x, int off, int n) {
        activate(x, off, n, false);
    }

    @Override
    public void tanh(float[] x, int off, int n) {
        activate(x, off, n, true);
    }

    /**
     * In place: {@code sigmoid(x) = 1 / (1 + exp(-x))}, or {@code tanh(x) = 1 - 2 / (exp(2x) + 1)} (absolute error
     * about 1e-7 near 0, exact limits at +-1), a vector at a time. The formulas work lane by lane, so an element gets
     * the same bits however elements are grouped into calls. The last few elements (fewer than a vector) go through a
     * copy a vector wide, so every element gets the same formula wherever it lies (scalar Math.exp on the tail was
     * most of an LSTM's gate time at H = 100: 4 of every 100 units, each about 50x a vector lane's cost).
     */
    private static void activate(float[] x, int off, int n, boolean tanh) {
        int upper = S.loopBound(n);
        activateVectors(x, off, upper, tanh);
        if (upper < n) {
            float[] tail = TAIL.get();
            System.arraycopy(x, off + upper, tail, 0, n - upper);
            activateVectors(tail, 0, S.length(), tanh);
            System.arraycopy(tail, 0, x, off + upper, n - upper);
        }
    }

    /** Per thread, one vector's worth of floats for {@link #activate}'s tail (lanes past it hold leftovers). */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[S.length()]);

    /**
     * {@link #activate} over {@code x[off .. off + n)}, n a multiple of the vector length. The loop and its constants
     * live in one method, so the constants stay in registers: a method per vector was too big for the JIT to inline,
     * and each call loaded every constant again (the same arithmetic, 21% slower). exp is written out here: a vector
     * passed to or returned from a method the JIT does not inline becomes a heap object. (One method looping over
     * several rows and both functions, to set the constants up once per LSTM step, made each element 8% slower.)
     */
    private static void activateVectors(float[] x, int off, int n, boolean tanh) {
        FloatVector scale = FloatVector.broadcast(S, tanh ? 2f : -1f);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector round = FloatVector.broadcast(S, ROUND);
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, 1.9875691500e-4f);
        FloatVector p1 = FloatVector.broadcast(S, 1.3981999507e-3f);
        FloatVector p2 = FloatVector.broadcast(S, 8.3334519073e-3f);
        FloatVector p3 = FloatVector.broadcast(S, 4.1665795894e-2f);
        FloatVector p4 = FloatVector.broadcast(S, 1.6666665459e-1f);
        FloatVector p5 = FloatVector.broadcast(S, 5.0000001201e-1f);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector numerator = FloatVector.broadcast(S, tanh ? 2f : 1f);
        int bias = Float.floatToRawIntBits(ROUND) - 127;
        for (int k = 0; k < n; k += S.length()) {
            IntVector bits = FloatVector.fromArray(S, x, off + k).mul(scale).reinterpretAsInts();
            FloatVector v = bits.and(0x7fffffff).add(SHIFT).min(CLAMP).sub(SHIFT).or(bits.and(0x80000000))
                    .reinterpretAsFloats(); // clamped to [-87, 87], NaN kept
            // exp(v): v = m ln2 + r, |r| <= ln2 / 2, exp(r) by its Cephes polynomial, 2^m from the exponent bits
            FloatVector t = v.fma(log2e, round);
            FloatVector m = t.sub(round);
            FloatVector r = m.fma(ln2Lo, m.fma(ln2Hi, v));
            FloatVector y = r.fma(p0, p1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
            y = y.mul(r).fma(r, r).add(one);
            FloatVector e = y.mul(t.reinterpretAsInts().sub(bias).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats());
            FloatVector q = numerator.div(e.add(one));
            (tanh ? one.sub(q) : q).intoArray(x, off + k);
        }
    }

    @Override
    public void lstmState(float[] act, int a, int rows, int hidden, float[] cs, int prev, int cur, float[] tanhC,
                          float[] hs) {
        int oo = hidden;
        int of = 2 * hidden;
        int oc = 3 * hidden;
        int upper = S.loopBound(hidden);
        for (int row = 0; row < rows; row++) {
            int at = a + row * 4 * hidden;
            int p = prev + row * hidden;
            int c = cur + row * hidden;
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector f = FloatVector.fromArray(S, act, at + of + j);
                FloatVector i = FloatVector.fromArray(S, act, at + j);
                FloatVector g = FloatVector.fromArray(S, act, at + oc + j);
                FloatVector cj = f.mul(FloatVector.fromArray(S, cs, p + j)).add(i.mul(g));
                cj.intoArray(cs, c + j);
                cj.intoArray(tanhC, c + j);
            }
            for (; j < hidden; j++) {
                float cj = act[at + of + j] * cs[p + j] + act[at + j] * act[at + oc + j];
                cs[c + j] = cj;
                tanhC[c + j] = cj;
            }
        }
        activate(tanhC, cur, rows * hidden, true); // every row's in one call
        for (int row = 0; row < rows; row++) {
            int at = a + row * 4 * hidden;
            int c = cur + row * hidden;
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector.fromArray(S, act, at + oo + j).mul(FloatVector.fromArray(S, tanhC, c + j))
                        .intoArray(hs, c + j);
            }
            for (; j < hidden; j++) {
                hs[c + j] = act[at + oo + j] * tanhC[c + j];
            }
        }
    }

    @Override
    public void lstmBackward(float[] act, int a, int hidden, float[] cs, int prev, int cur, float[] tanhC, float[] dh,
                             float[] dcIn, float[] dcPrev, int d, float[] dA, boolean coupled) {
        int oo = hidden;
        int of = 2 * hidden;
        int oc = 3 * hidden;
        int upper = S.loopBound(hidden);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < upper; j += S.length()) {
            FloatVector i = FloatVector.fromArray(S, act, a + j);
            FloatVector o = FloatVector.fromArray(S, act, a + oo + j);
            FloatVector f = FloatVector.fromArray(S, act, a + of + j);
            FloatVector g = FloatVector.fromArray(S, act, a + oc + j);
            FloatVector cPrev = FloatVector.fromArray(S, cs, prev + j);
            FloatVector tc = FloatVector.fromArray(S, tanhC, cur + j);
            FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
            FloatVector dao = dhj.mul(tc).mul(o).mul(one.sub(o));
            FloatVector dc = FloatVector.fromArray(S, dcIn, d + j).add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            FloatVector di = dc.mul(g);
            FloatVector daf;
            if (coupled) {
                di = di.sub(dc.mul(cPrev));
                daf = FloatVector.zero(S);
            } else {
                daf = dc.mul(cPrev).mul(f).mul(one.sub(f));
            }
            dc.mul(f).intoArray(dcPrev, d + j);
            di.mul(i).mul(one.sub(i)).intoArray(dA, a + j);
            dao.intoArray(dA, a + oo + j);
            daf.intoArray(dA, a + of + j);
            dc.mul(i).mul(one.sub(g.mul(g))).intoArray(dA, a + oc + j);
        }
        Kernels.lstmBackwardUnits(upper, hidden, act, a, hidden, cs, prev, cur, tanhC, dh, dcIn, dcPrev, d, dA, coupled);
    }

    @Override
    public void tanhBackward(float[] dy, int dyOff, float[] y, int yOff, float[] out, int outOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int upper = S.loopBound(n);
        int k = 0;
        for (; k < upper; k += S.length()) {
            FloatVector v = FloatVector.fromArray(S, y, yOff + k);
            FloatVector.fromArray(S, dy, dyOff + k).mul(one.sub(v.mul(v))).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            float v = y[yOff + k];
            out[outOff + k] = dy[dyOff + k] * (1 - v * v);
        }
    }

    @Override
    public void hadamard(float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n) {
        int upper = S.loopBound(n);
        int k = 0;
        for (; k < upper; k += S.length()) {
            FloatVector.fromArray(S, x, xOff + k).mul(FloatVector.fromArray(S, y, yOff + k)).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = x[xOff + k] * y[yOff + k];
        }
    }

    /** The same arithmetic as the scalar loops, in the same order (no fused multiply-adds): the same bits. */
    @Override
    public void gruOutput(float[] act, float[] xp, int a, int hidden, float[] rec, int q, float[] hs, int prev, int cur,
                          boolean linearBeforeReset) {
        int oz = GruGate.Z.offset(hidden);
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        int upper = S.loopBound(hidden);
        for (int j = 0; j < upper; j += S.length()) {
            FloatVector recH = FloatVector.fromArray(S, rec, q + j);
            FloatVector term = linearBeforeReset ? FloatVector.fromArray(S, act, a + or + j).mul(recH) : recH;
            FloatVector.fromArray(S, xp, a + oh + j).add(term).intoArray(act, a + oh + j);
        }
        Kernels.gruCandidateUnits(upper, hidden, act, xp, a, hidden, rec, q, linearBeforeReset);
        activate(act, a + oh, hidden, true);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < upper; j += S.length()) {
            FloatVector z = FloatVector.fromArray(S, act, a + oz + j);
            one.sub(z).mul(FloatVector.fromArray(S, act, a + oh + j))
                    .add(z.mul(FloatVector.fromArray(S, hs, prev + j))).intoArray(hs, cur + j);
        }
        Kernels.gruOutputUnits(upper, hidden, act, a, hidden, hs, prev, cur);
    }

    @Override
    public void gruCandidateBackward(float[] act, int a, int hidden, float[] dh, int d, float[] dA, float[] dRec,
                                     boolean linearBeforeReset) {
        int oz = GruGate.Z.offset(hidden);
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        int upper = S.loopBound(hidden);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < upper; j += S.length()) {
            FloatVector cand = FloatVector.fromArray(S, act, a + oh + j);
            FloatVector dah = FloatVector.fromArray(S, dh, d + j).mul(one.sub(FloatVector.fromArray(S, act, a + oz + j)))
                    .mul(one.sub(cand.mul(cand)));
            dah.intoArray(dA, a + oh + j);
            (linearBeforeReset ? dah.mul(FloatVector.fromArray(S, act, a + or + j)) : dah).intoArray(dRec, a + oh + j);
        }
        Kernels.gruCandidateBackwardUnits(upper, hidden, act, a, hidden, dh, d, dA, dRec, linearBeforeReset);
    }

    @Override
    public void gruGatesBackward(float[] act, int a, int hidden, float[] hs, int prev, float[] aux, int x,
                                 float[] dh, float[] drh, float[] dhPrev, int d, float[] dA, float[] dRec,
                                 boolean linearBeforeReset) {
        int oz = GruGate.Z.offset(hidden);
        int or = GruGate.R.offset(hidden);
        int oh = GruGate.H.offset(hidden);
        int upper = S.loopBound(hidden);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < upper; j += S.length()) {
            FloatVector z = FloatVector.fromArray(S, act, a + oz + j);
            FloatVector r = FloatVector.fromArray(S, act, a + or + j);
            FloatVector cand = FloatVector.fromArray(S, act, a + oh + j);
            FloatVector hPrev = FloatVector.fromArray(S, hs, prev + j);
            FloatVector dhj = FloatVector.fromArray(S, dh, d + j);
            FloatVector dr;
            if (linearBeforeReset) {
                dr = FloatVector.fromArray(S, dA, a + oh + j).mul(FloatVector.fromArray(S, aux, x + j));
                dhj.mul(z).intoArray(dhPrev, d + j);
            } else {
                FloatVector drhj = FloatVector.fromArray(S, drh, d + j);
                dr = drhj.mul(hPrev);
                dhj.mul(z).add(drhj.mul(r)).intoArray(dhPrev, d + j);
            }
            FloatVector daz = dhj.mul(hPrev.sub(cand)).mul(z).mul(one.sub(z));
            FloatVector dar = dr.mul(r).mul(one.sub(r));
            daz.intoArray(dA, a + oz + j);
            dar.intoArray(dA, a + or + j);
            daz.intoArray(dRec, a + oz + j);
            dar.intoArray(dRec, a + or + j);
        }
        Kernels.gruGatesBackwardUnits(upper, hidden, act, a, hidden, hs, prev, aux, x, dh, drh, dhPrev, d, dA, dRec,
                linearBeforeReset);
    }

    @Override
    public String name() {
        return "vector";
    }
}
