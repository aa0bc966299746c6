package dev.rnn4j.nativeengine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.testing.ModelAssertions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vector and scalar kernels agree with each other and with a double-precision reference. */
class KernelsTest {
    private final Kernels scalar = Kernels.scalar();
    private final Kernels vector = Kernels.vector();

    @Test
    void vectorModuleIsLoadedInTests() {
        assertTrue(Kernels.vectorAvailable(), "surefire runs with --add-modules jdk.incubator.vector");
        assertEquals("vector", Kernels.best().name());
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 15, 16, 17, 100, 1024, 1031})
    void dotAgrees(int n) {
        float[] a = random(n + 5, n);
        float[] b = random(n + 5, n + 1);
        double ref = 0;
        for (int i = 0; i < n; i++) {
            ref += (double) a[i + 2] * b[i + 3];
        }
        // float32 sums of n products of values in [-1, 1]: error grows like sqrt(n) * 6e-8
        double tol = 1e-6 * Math.max(1, Math.sqrt(n));
        assertEquals(ref, scalar.dot(a, 2, b, 3, n), tol);
        assertEquals(ref, vector.dot(a, 2, b, 3, n), tol);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 8, 16, 33, 257})
    void axpyAgrees(int n) {
        float[] x = random(n + 1, 3);
        float[] y1 = random(n + 2, 4);
        float[] y2 = y1.clone();
        float[] expected = y1.clone();
        for (int i = 0; i < n; i++) {
            expected[i + 2 - 1 + 1] = (float) (expected[i + 2 - 1 + 1] + 0.7 * x[i + 1]);
        }
        scalar.axpy(0.7f, x, 1, y1, 2, n);
        vector.axpy(0.7f, x, 1, y2, 2, n);
        ModelAssertions.assertValuesClose(expected, y1, 1e-6, 0, "scalar axpy");
        ModelAssertions.assertValuesClose(expected, y2, 1e-6, 0, "vector axpy");
    }

    /**
     * Column sums (bias gradients) are the row-by-row axpy's sums bit for bit, on both kernels: blocks of eight
     * vectors, single vectors and single columns (n = 300 = 2 x 128 + 2 x 16 + 12), a row stride wider than n, offsets.
     */
    @ParameterizedTest
    @CsvSource({"0, 16", "1, 5", "7, 37", "300, 128", "300, 130", "64, 300"})
    void columnSumsAddTheRowsInOrder(int m, int n) {
        int lda = n + 3;
        float[] a = random(m * lda + 2, 31);
        float[] start = random(n + 1, 32);
        for (Kernels kernels : new Kernels[] {vector, scalar}) {
            float[] rowByRow = start.clone();
            for (int i = 0; i < m; i++) {
                kernels.axpy(1f, a, 2 + i * lda, rowByRow, 1, n);
            }
            float[] sums = start.clone();
            kernels.addColumnSums(m, n, a, 2, lda, sums, 1);
            org.junit.jupiter.api.Assertions.assertArrayEquals(rowByRow, sums, kernels.name());
        }
    }

    @Test
    void activationsAgreeWithMath() {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = -20f + 40f * i / (x.length - 1);   // includes saturation on both sides
        }
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] s = x.clone();
            float[] t = x.clone();
            k.sigmoid(s, 0, s.length);
            k.tanh(t, 3, t.length - 3);
            for (int i = 0; i < x.length; i++) {
                // float32 activations: 2e-7 absolute (tanh via exp loses relative precision only near 0)
                assertEquals(1 / (1 + Math.exp(-x[i])), s[i], 2e-7, k.name() + " sigmoid(" + x[i] + ")");
                assertEquals(i < 3 ? x[i] : Math.tanh(x[i]), t[i], 2e-7, k.name() + " tanh(" + x[i] + ")");
            }
        }
    }

    /** Past exp's range, at infinities and at NaN (of either sign, any payload): the limits, and NaN stays NaN. */
    @Test
    void activationsAtTheLimits() {
        float[] x = {0f, -0f, Float.MIN_VALUE, 43.4f, 43.6f, 86.9f, 87f, 87.1f, 88.8f, 89f, 100f, 1e6f, 1e30f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7f800001),
            Float.intBitsToFloat(0x7fffffff)};
        int m = x.length;
        float[] both = new float[2 * m];
        for (int i = 0; i < m; i++) {
            both[i] = x[i];
            both[m + i] = -x[i]; // -NaN included: the sign bit set on a NaN
        }
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] s = both.clone();
            float[] t = both.clone();
            k.sigmoid(s, 0, s.length);
            k.tanh(t, 0, t.length);
            for (int i = 0; i < both.length; i++) {
                String at = k.name() + " at " + both[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(both[i]))
                        + ")";
                if (Float.isNaN(both[i])) {
                    assertTrue(Float.isNaN(s[i]) && Float.isNaN(t[i]), "NaN in, NaN out: " + at);
                } else {
                    assertEquals(1 / (1 + Math.exp(-both[i])), s[i], 2e-7, "sigmoid " + at);
                    assertEquals(Math.tanh(both[i]), t[i], 2e-7, "tanh " + at);
                    assertTrue(s[i] >= 0f && s[i] <= 1f && t[i] >= -1f && t[i] <= 1f, "in range " + at);
                }
            }
        }
    }

    /**
     * Shapes that cross every path: edge tiles, K over one packed block, the transposed form (N < NR < M), few
     * columns, A packed into row blocks with a short last block (25 rows: 12 + 12 + 1 on AVX-512), and more rows of A
     * than one L2-sized range holds (600 x 300), run on two threads with a right edge, one to four inner terms
     * (input projections of a few features: row by row), and one or a few rows read in place (a single sequence's
     * step: one row runs four panels at once), a long inner dimension taken in slabs (200 x 1000: two), and an A that
     * fits L2 shared by two threads (100 x 300, packed once; 600 x 300 is packed range by range by each thread).
     */
    @ParameterizedTest
    @CsvSource({"37, 29, 53", "70, 5, 300", "9, 100, 140", "1, 65, 7", "200, 1, 40", "50, 3, 20", "25, 64, 130",
            "600, 70, 300", "300, 70, 1", "40, 37, 3", "700, 64, 4", "1, 200, 300", "3, 130, 20", "200, 40, 1000",
            "100, 200, 300"})
    void gemmVariantsAgreeWithReference(int m, int n, int k) {
        float[] a = random(m * k, 1);     // A [m, k]
        float[] bt = random(n * k, 2);    // B^T [n, k]
        float[] b = new float[k * n];     // B [k, n]
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = bt[j * k + i];
            }
        }
        float[] at = new float[k * m];    // A^T [k, m]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                at[j * m + i] = a[i * k + j];
            }
        }
        float[] ref = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.5; // C starts at 0.5 everywhere: the products accumulate into it
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                ref[i * n + j] = (float) s;
            }
        }
        double tol = 1e-5 * Math.max(1, k / 300.0);
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            for (int threads : new int[] {1, 2}) {
                Gemm g = new Gemm(kernels, threads);
                String what = kernels.name() + " " + threads + " thread(s) " + m + "x" + n + "x" + k;
                float[] c1 = filled(m * n);
                g.abt(m, n, k, a, 0, k, bt, 0, k, c1, 0, n);
                // float32 sums of k products of numbers in [-1, 1): 1e-5 absolute and relative up to k = 300, growing
                // with k beyond (the rounding of a float32 running sum; measured 1.9e-5 at k = 1000)
                ModelAssertions.assertValuesClose(ref, c1, tol, tol, what + " abt");
                float[] c2 = filled(m * n);
                g.ab(m, n, k, a, 0, k, b, 0, n, c2, 0, n);
                ModelAssertions.assertValuesClose(ref, c2, tol, tol, what + " ab");
                float[] c3 = filled(m * n);
                g.atb(m, n, k, at, 0, m, b, 0, n, c3, 0, n);
                ModelAssertions.assertValuesClose(ref, c3, tol, tol, what + " atb");
                float[] c4 = filled(m * n);
                g.multiply(m, a, 0, k, 1, g.pack(k, n, bt, 0, 1, k), c4, 0, n);
                ModelAssertions.assertValuesClose(ref, c4, tol, tol, what + " packed");
            }
        }
    }

    /**
     * Packing a row block of A (the vector kernels gather four columns of twelve rows per three loads) copies the
     * same floats to the same places as the scalar loop: full and short blocks, column counts with and without a
     * remainder of four, and row strides changing between calls (the gather offsets are kept per stride).
     */
    @ParameterizedTest
    @CsvSource({"12, 1, 5", "12, 4, 5", "12, 131, 140", "12, 130, 131", "7, 130, 131", "12, 64, 256"})
    void packRowBlockCopiesLikeScalar(int rows, int k, int lda) {
        float[] a = random(12 * lda + 3, rows + k);
        for (int stride : new int[] {lda, lda - 1, lda}) {
            float[] expected = new float[12 * k + 5];
            float[] actual = new float[12 * k + 5];
            java.util.Arrays.fill(expected, Float.NaN);
            java.util.Arrays.fill(actual, Float.NaN);
            scalar.packRowBlock(rows, k, a, 3, stride, expected, 2, 12);
            vector.packRowBlock(rows, k, a, 3, stride, actual, 2, 12);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, rows + " rows, stride " + stride);
        }
    }

    /**
     * A product that starts every row of C from a given row (an input projection plus its bias): a few inner terms
     * in one pass (one to four; 700 rows split across threads), and the fallbacks, a few columns and more terms.
     */
    @ParameterizedTest
    @CsvSource({"50, 70, 1", "50, 70, 3", "700, 64, 4", "9, 3, 2", "30, 40, 7"})
    void abtFromRowStartsEachRowFromTheRow(int m, int n, int k) {
        float[] a = random(m * k, 7);
        float[] bt = random(n * k, 8);
        float[] row = random(n + 2, 9);
        float[] ref = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = row[j + 2];
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * bt[j * k + p];
                }
                ref[i * n + j] = (float) s;
            }
        }
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            for (int threads : new int[] {1, 2}) {
                float[] c = new float[m * n];
                java.util.Arrays.fill(c, Float.NaN); // overwritten, never read
                Gemm gemm = new Gemm(kernels, threads);
                gemm.abtFromRow(m, n, k, a, 0, k, bt, 0, k, row, 2, c, 0, n);
                ModelAssertions.assertValuesClose(ref, c, 1e-6, 1e-6, kernels.name() + " " + threads + " thread(s)");
                if (Gemm.fewTerms(n, k)) { // B's rows made once beforehand (a layer's input weights): the same bits
                    float[] rows = Gemm.fewRows(n, k, bt, 0, k, null);
                    float[] again = new float[m * n];
                    java.util.Arrays.fill(again, Float.NaN);
                    gemm.abtFromRows(m, n, k, a, 0, k, rows, row, 2, again, 0, n);
                    assertArrayEquals(c, again, kernels.name() + " " + threads + " thread(s), rows made once");
                } else {
                    assertThrows(IllegalArgumentException.class, () -> gemm.abtFromRows(m, n, k, a, 0, k,
                            new float[Gemm.SMALL_K * n], row, 2, new float[m * n], 0, n));
                }
            }
        }
    }

    private static float[] filled(int size) {
        float[] c = new float[size];
        java.util.Arrays.fill(c, 0.5f);
        return c;
    }

    /**
     * Above the parallel threshold, 1, 2 and 3 threads give the same bits (tiles never change hands mid-sum), with A
     * in more than one L2-sized range of row blocks (each thread packing the ranges its run reaches, one range split
     * between two threads), within one (packed once, shared), and with the inner dimension in slabs.
     */
    @ParameterizedTest
    @CsvSource({"600, 200, 300", "100, 200, 300", "64, 200, 3000"})
    void parallelGemmIsBitIdenticalToSerial(int m, int n, int k) {
        org.junit.jupiter.api.Assertions.assertTrue((long) m * n * k >= Gemm.PARALLEL_WORK,
                "the product must be large enough to run in parallel");
        float[] a = random(m * k, 5);
        float[] b = random(n * k, 6);
        float[] serial = new float[m * n];
        new Gemm(vector, 1).abt(m, n, k, a, 0, k, b, 0, k, serial, 0, n);
        for (int threads : new int[] {2, 3}) {
            float[] parallel = new float[m * n];
            new Gemm(vector, threads).abt(m, n, k, a, 0, k, b, 0, k, parallel, 0, n);
            org.junit.jupiter.api.Assertions.assertArrayEquals(serial, parallel, threads + " threads");
        }
    }

    /**
     * Packing B while summing its columns (a layer's dA: the bias gradient beside the weight gradient's B) gives the
     * packed B of {@link Gemm#pack} (which copies B row by row, the summing one panel by panel) and the bits of {@link
     * Gemm#columnSums}: several blocks of rows, a right edge, on 1 to 3 threads (600 x 450: packing split across them,
     * the last thread's panels ending in the edge), scalar and vector.
     */
    @ParameterizedTest
    @CsvSource({"600, 100", "37, 64", "6400, 128", "5, 7", "600, 450"})
    void packingWhileSummingColumnsKeepsBothResults(int k, int n) {
        float[] b = random(k * (n + 3), 81);
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            for (int threads : new int[] {1, 2, 3}) {
                Gemm g = new Gemm(kernels, threads);
                float[] expectedSums = random(n + 2, 82);
                float[] sums = expectedSums.clone();
                g.columnSums(k, n, b, 2, n + 3, expectedSums, 1);
                Gemm.Packed expected = g.pack(k, n, b, 2, n + 3, 1);
                Gemm.Packed packed = g.packSummingColumns(k, n, b, 2, n + 3, null, sums, 1);
                String what = kernels.name() + " " + threads + " thread(s) " + k + "x" + n;
                assertArrayEquals(expected.data(), packed.data(), what + " packed");
                assertArrayEquals(expectedSums, sums, what + " sums");
            }
        }
    }

    /** Rows of a few-term product in one call: each row the bits of {@link Kernels#axpy4} on its own, 1 to 4 terms. */
    @ParameterizedTest
    @CsvSource({"1, 37", "2, 128", "3, 5", "4, 64"})
    void axpy4RowsIsAxpy4RowByRow(int terms, int n) {
        int rows = 7;
        float[] a = random(rows * 5 + 2, 71); // A(i, p) = a[2 + 5 i + p]
        float[] x = random(4 * n, 72);
        float[] from = random(rows * (n + 3), 73);
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            float[] expected = new float[rows * (n + 1) + 1];
            for (int i = 0; i < rows; i++) {
                int ai = 2 + 5 * i;
                kernels.axpy4(terms, a[ai], terms > 1 ? a[ai + 1] : 0f, terms > 2 ? a[ai + 2] : 0f,
                        terms > 3 ? a[ai + 3] : 0f, x, 0, n, 2 * n, 3 * n, from, i * (n + 3), expected, 1 + i * (n + 1), n);
            }
            float[] actual = new float[expected.length];
            kernels.axpy4Rows(rows, terms, a, 2, 5, 1, x, n, from, 0, n + 3, actual, 1, n + 1);
            assertArrayEquals(expected, actual, kernels.name() + " " + terms + " term(s), n = " + n);
        }
    }

    /**
     * The packed micro-kernels ({@link Kernels#packedPanel}, whose vector version reads A by address after one range
     * check): the bits of {@link Kernels#panel} on the same packed A (a stride of {@code panelRows()} between its
     * columns), for a full row block and the shorter ones; an A ending one float before the last value a call reads is refused, not read
     * past.
     */
    @ParameterizedTest
    @ValueSource(ints = {12, 8, 6, 5})
    void packedPanelHasThePanelsBitsAndChecksA(int rows) {
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            int mr = kernels.panelRows();
            int nr = kernels.panelWidth();
            int rowsHere = Math.min(rows, mr);
            int k = 37;
            int aOff = 3;
            int ldc = nr + 5;
            int lastRead = aOff + mr * (k - 1) + rowsHere - 1;
            float[] a = random(lastRead + 1, 91);
            float[] panel = random(2 + k * nr, 92);
            float[] expected = random(1 + mr * ldc, 93);
            float[] actual = expected.clone();
            kernels.panel(rowsHere, k, a, aOff, 1, mr, panel, 2, expected, 1, ldc, nr);
            kernels.packedPanel(rowsHere, k, a, aOff, panel, 2, actual, 1, ldc, nr);
            assertArrayEquals(expected, actual, kernels.name() + ", " + rowsHere + " rows");
            float[] short1 = java.util.Arrays.copyOf(a, lastRead);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernels.packedPanel(rowsHere, k, short1, aOff, panel, 2, actual, 1, ldc, nr),
                    kernels.name() + ", " + rowsHere + " rows");
        }
    }

    /**
     * {@link Kernels#panel} on a row-major A (rows {@code k + 2} floats apart) and on one stored column by column:
     * the double-precision sums, and an A one float short of the last value read is refused, not read past (the
     * vector kernel reads A by address after one range check).
     */
    @ParameterizedTest
    @CsvSource({"6, true", "6, false", "12, true", "4, false"})
    void panelReadsStridedAWithinItsArray(int rows, boolean rowMajor) {
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            int nr = kernels.panelWidth();
            int k = 29;
            int aOff = 2;
            int ars = rowMajor ? k + 2 : 1;
            int acs = rowMajor ? 1 : rows + 3;
            int lastRead = aOff + (rows - 1) * ars + (k - 1) * acs;
            float[] a = random(lastRead + 1, 94);
            float[] panel = random(k * nr, 95);
            float[] c = new float[rows * nr];
            kernels.panel(rows, k, a, aOff, ars, acs, panel, 0, c, 0, nr, nr);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < nr; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (double) a[aOff + i * ars + p * acs] * panel[p * nr + j];
                    }
                    // 29 products of values in [-1, 1] summed in float32
                    assertEquals(sum, c[i * nr + j], 1e-5, kernels.name() + " C(" + i + ", " + j + ")");
                }
            }
            float[] short1 = java.util.Arrays.copyOf(a, lastRead);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> kernels.panel(rows, k, short1, aOff, ars, acs, panel, 0, c, 0, nr, nr), kernels.name());
        }
    }

    /**
     * A panel's hot columns: each lane the bits of {@link Kernels#addRow} adding its value times its column of W to the
     * bias, as a sparse projection does row by row; the bias alone where the value is zero (+0 or -0, even against
     * an infinite weight); columns in every vector of the row, the last one included.
     */
    @Test
    void hotColumnsAreAddRowsOfEachLanesColumn() {
        for (Kernels kernels : new Kernels[] {scalar, vector}) {
            int rows = 13;
            int nr = kernels.panelWidth();
            int width = kernels.hotColumnsWidth();
            float[] w = random(rows * width, 81);
            float[] bias = random(rows, 82);
            int[] column = new int[nr];
            float[] value = random(nr, 83);
            for (int j = 0; j < nr; j++) {
                column[j] = j == 0 ? width - 1 : (j * 7 + 3) % width;
            }
            value[1] = 0f;
            value[2] = -0f;
            value[3] = 1f;
            w[column[1]] = Float.POSITIVE_INFINITY; // skipped by a zero value, as a sparse product skips it
            float[] expected = new float[3 + rows * nr];
            for (int j = 0; j < nr; j++) {
                float[] lane = java.util.Arrays.copyOf(bias, rows);
                float[] wColumn = new float[rows];
                for (int g = 0; g < rows; g++) {
                    wColumn[g] = w[g * width + column[j]];
                }
                if (value[j] != 0f) {
                    kernels.addRow(value[j], wColumn, 0, lane, 0, rows);
                }
                for (int g = 0; g < rows; g++) {
                    expected[3 + g * nr + j] = lane[g];
                }
            }
            float[] actual = new float[expected.length];
            kernels.hotColumns(rows, w, bias, column, value, actual, 3);
            assertArrayEquals(expected, actual, kernels.name());
        }
    }

    /** The gradient through tanh, {@code dy (1 - y^2)}, and the elementwise product: the loops' bits, tails included. */
    @ParameterizedTest
    @CsvSource({"37", "16", "5"})
    void elementwiseKernelsHaveTheLoopsBits(int n) {
        float[] dy = random(n + 3, 61);
        float[] y = random(n + 1, 62);
        float[][] out = {random(n + 4, 63), null};
        out[1] = out[0].clone();
        float[][] product = {random(n + 4, 64), null};
        product[1] = product[0].clone();
        Kernels[] both = {scalar, vector};
        for (int k = 0; k < 2; k++) {
            both[k].tanhBackward(dy, 3, y, 1, out[k], 2, n);
            both[k].hadamard(dy, 3, y, 1, product[k], 4, n - 1);
        }
        assertArrayEquals(out[0], out[1], "tanh backward");
        assertArrayEquals(product[0], product[1], "product");
    }

    /**
     * The GRU's row kernels do the scalar loops' arithmetic in the same order, a vector at a time: the same bits as the
     * loops (the candidate's tanh aside, which is the vector kernels' own), both candidate variants, H = 37 (two
     * vectors and a tail of five) at offsets that are not multiples of a vector.
     */
    @ParameterizedTest
    @CsvSource({"true", "false"})
    void gruRowKernelsHaveTheLoopsBits(boolean linearBeforeReset) {
        int h = 37;
        int a = 3 * h + 5; // the row's blocks z, r, h from here in act, xp, dA and dRec
        float[] act = random(a + 3 * h + 2, 51);
        for (int j = 0; j < 2 * h; j++) {
            act[a + j] = 0.5f + 0.45f * act[a + j]; // z and r: activated gates in (0, 1)
        }
        float[] xp = random(act.length, 52);
        float[] rec = random(h + 9, 53);
        float[] hs = random(3 * h + 4, 54);
        // forward: the candidate's pre-activation and h_t around the vector kernels' tanh
        float[] expectedAct = act.clone();
        float[] expectedHs = hs.clone();
        Kernels.gruCandidateUnits(0, h, expectedAct, xp, a, h, rec, 9, linearBeforeReset);
        vector.tanh(expectedAct, a + 2 * h, h);
        Kernels.gruOutputUnits(0, h, expectedAct, a, h, expectedHs, 1, h + 3);
        float[] actualAct = act.clone();
        float[] actualHs = hs.clone();
        vector.gruOutput(actualAct, xp, a, h, rec, 9, actualHs, 1, h + 3, linearBeforeReset);
        assertArrayEquals(expectedAct, actualAct, "act");
        assertArrayEquals(expectedHs, actualHs, "h_t");
        // backward: both row kernels against the scalar engine's
        float[] dh = random(h + 2, 55);
        float[] aux = random(2 * h, 56);
        float[] drh = random(h + 2, 57);
        float[][] dA = {random(act.length, 58), null};
        float[][] dRec = {random(act.length, 59), null};
        float[][] dhPrev = {new float[h + 2], new float[h + 2]};
        dA[1] = dA[0].clone();
        dRec[1] = dRec[0].clone();
        Kernels[] both = {scalar, vector};
        for (int k = 0; k < 2; k++) {
            both[k].gruCandidateBackward(act, a, h, dh, 2, dA[k], dRec[k], linearBeforeReset);
            both[k].gruGatesBackward(act, a, h, hs, 1, aux, 4, dh, drh, dhPrev[k], 2, dA[k], dRec[k],
                    linearBeforeReset);
        }
        assertArrayEquals(dA[0], dA[1], "dA");
        assertArrayEquals(dRec[0], dRec[1], "dRec");
        assertArrayEquals(dhPrev[0], dhPrev[1], "dh_{t-1}");
    }

    /**
     * The rows of a packed block ({@link Gemm#blockRows()}: 128, or 256 on a CPU with a 48 KiB L1) change only the
     * blocking: every element still adds its products in p order onto C, so 128, 256 and an odd 37 give the same bits,
     * on 1 and 2 threads, for the products, a packed B, a single row and an inner dimension long enough for slabs.
     */
    @ParameterizedTest
    @CsvSource({"600, 200, 300", "64, 1024, 256", "37, 29, 530", "200, 40, 3000", "1, 200, 300"})
    void blockRowsNeverChangeTheBits(int m, int n, int k) {
        float[] a = random(m * k, 31);
        float[] b = random(k * n, 32);
        float[] expected = null;
        for (int blockRows : new int[] {Gemm.KC, Gemm.KC_WIDE_L1, 37}) {
            for (int threads : new int[] {1, 2}) {
                Gemm g = new Gemm(vector, threads, blockRows);
                assertEquals(blockRows, g.blockRows());
                float[] ab = filled(m * n);
                g.ab(m, n, k, a, 0, k, b, 0, n, ab, 0, n);
                float[] packed = filled(m * n);
                g.multiply(m, a, 0, k, 1, g.pack(k, n, b, 0, n, 1), packed, 0, n);
                float[] atb = filled(m * n);
                g.atb(m, n, k, transpose(a, m, k), 0, m, b, 0, n, atb, 0, n);
                float[] row = filled(n);
                g.multiplyRow(a, 0, 1, g.pack(k, n, b, 0, n, 1), row, 0);
                if (expected == null) {
                    expected = ab;
                }
                String what = blockRows + " rows per block, " + threads + " thread(s) " + m + "x" + n + "x" + k;
                assertArrayEquals(expected, ab, what + " ab");
                assertArrayEquals(expected, packed, what + " packed");
                assertArrayEquals(expected, atb, what + " atb");
                assertArrayEquals(java.util.Arrays.copyOf(expected, n), row, what + " one row");
            }
        }
        assertEquals(Gemm.KC_WIDE_L1, Gemm.blockRowsFor(48 * 1024));
        assertEquals(Gemm.KC, Gemm.blockRowsFor(32 * 1024));
        assertEquals(Gemm.KC, Gemm.blockRowsFor(0)); // unknown
    }

    @Test
    void packedBOfOtherBlocksIsRefused() {
        Gemm.Packed wide = new Gemm(vector, 1, Gemm.KC_WIDE_L1).pack(300, 40, random(300 * 40, 1), 0, 40, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Gemm(vector, 1, Gemm.KC)
                .multiply(2, random(600, 2), 0, 300, 1, wide, new float[80], 0, 40));
        assertEquals("B was packed in blocks of 256 rows, this Gemm reads blocks of 128", e.getMessage());
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /**
     * {@link Gemm#multiplyRow} above {@link Gemm#PARALLEL_ONE_ROW}: the threads split the row's panels, a right edge
     * included (200 = 6 x 32 + 8 columns), and give the bits of one thread and of {@code multiply}'s single row; a
     * strided row (column stride 3) too.
     */
    @Test
    void oneRowSplitAcrossThreadsIsBitIdentical() {
        int n = 200;
        int k = 300;
        org.junit.jupiter.api.Assertions.assertTrue((long) n * k >= Gemm.PARALLEL_ONE_ROW,
                "the row must be long enough to split");
        float[] a = random(3 * k, 10);
        float[] b = random(k * n, 11);
        for (int stride : new int[] {1, 3}) {
            float[] serial = filled(n);
            Gemm one = new Gemm(vector, 1);
            one.multiply(1, a, 1, k, stride, one.pack(k, n, b, 0, n, 1), serial, 0, n);
            for (int threads : new int[] {1, 2, 3}) {
                Gemm g = new Gemm(vector, threads);
                float[] split = filled(n);
                g.multiplyRow(a, 1, stride, g.pack(k, n, b, 0, n, 1), split, 0);
                org.junit.jupiter.api.Assertions.assertArrayEquals(serial, split,
                        threads + " threads, stride " + stride);
            }
        }
    }

    /**
     * {@link Gemm#sparseMultiply} gives {@link Gemm#multiply}'s bits on a mostly-zero A, onto a C that already holds
     * values (a bias): one-hot rows read as they are (an input projection, {@code x W^T}) and the same kind of A stored
     * transposed (W's gradient, {@code x^T dA}: column stride = the row width), one-hot and with three non-zeros in a
     * line, inner dimensions past a packed block (300 > KC), a right edge (100 and 37 columns), both kernels, 1-3
     * threads (65 x 1024 x 640 splits its columns).
     */
    @ParameterizedTest
    @CsvSource({"64, 1024, 65, 1", "65, 1024, 640, 1", "48, 100, 300, 1", "17, 37, 40, 1", "40, 256, 130, 3"})
    void sparseProductHasTheDenseProductsBits(int m, int n, int k, int perLine) {
        float[] b = random(k * n, 21);
        float[] start = random(m * n, 22);
        for (boolean transposed : new boolean[] {false, true}) {
            // A [m, k]: each line (a row of A, or a column when stored transposed) has perLine non-zeros
            int lines = transposed ? k : m;
            int width = transposed ? m : k;
            float[] a = new float[m * k];
            SplittableRandom rng = new SplittableRandom(23);
            for (int line = 0; line < lines; line++) {
                for (int j = 0; j < perLine; j++) {
                    a[line * width + rng.nextInt(width)] = (float) (rng.nextDouble() * 4 - 2);
                }
            }
            int rowStride = transposed ? 1 : k;
            int colStride = transposed ? m : 1;
            for (Kernels kernels : new Kernels[] {vector, scalar}) {
                for (int threads : new int[] {1, 2, 3}) {
                    String what = kernels.name() + ", " + threads + " threads, " + (transposed ? "A^T" : "A");
                    Gemm g = new Gemm(kernels, threads);
                    assertTrue(g.mostlyZeros(a, 0, a.length), what + ": A is sparse");
                    float[] dense = start.clone();
                    g.multiply(m, a, 0, rowStride, colStride, g.pack(k, n, b, 0, n, 1), dense, 0, n);
                    float[] sparse = start.clone();
                    g.sparseMultiply(m, n, k, a, 0, rowStride, colStride, b, 0, n, sparse, 0, n);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(dense, sparse, what);
                }
            }
        }
    }

    /** Sparse means at most one in {@link Gemm#SPARSE_FRACTION} non-zero; a {@link Gemm#denseOnly} Gemm never says so. */
    @Test
    void mostlyZerosCountsTheNonZeros() {
        Gemm g = new Gemm(vector, 1);
        float[] a = new float[8 * Gemm.SPARSE_FRACTION + 3];
        for (int i = 0; i < 8; i++) {
            a[3 + i * Gemm.SPARSE_FRACTION] = -0.5f;
        }
        assertTrue(g.mostlyZeros(a, 3, 8 * Gemm.SPARSE_FRACTION), "one in SPARSE_FRACTION");
        assertTrue(!g.denseOnly().mostlyZeros(a, 3, 8 * Gemm.SPARSE_FRACTION), "a dense-only Gemm");
        a[4] = 1f;
        assertTrue(!g.mostlyZeros(a, 3, 8 * Gemm.SPARSE_FRACTION), "one more");
        assertTrue(!g.mostlyZeros(a, 0, 0), "nothing");
    }

    /**
     * Both kernels' dropout masks are the pass's stream drawn in order (as the engine drew them with
     * {@code SplittableRandom.nextDouble()} before), bit for bit, from any first draw and split at any element; the
     * masked values are {@code x * mask}. A keep of 0.8 drops about a fifth.
     */
    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.5f, 0.8f, 0.999f})
    void dropoutMasksAreTheStreamDrawnInOrder(float keep) {
        int n = 1013;
        long seed = 0x5eedL;
        long first = 77;
        float[] x = random(n, 3);
        SplittableRandom stream = new SplittableRandom(seed);
        for (int i = 0; i < first; i++) {
            stream.nextDouble();
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = stream.nextDouble() < keep ? 1f / keep : 0f;
        }
        for (Kernels k : new Kernels[] {scalar, vector}) {
            float[] mask = new float[n];
            float[] y = new float[n];
            k.dropout(seed, first, keep, x, mask, y, 0, 333);
            k.dropout(seed, first, keep, x, mask, y, 333, n);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, mask, k.name() + " mask, keep " + keep);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] * expected[i], y[i], 0f, k.name() + " value " + i);
            }
        }
        long dropped = java.util.stream.IntStream.range(0, n).filter(i -> expected[i] == 0f).count();
        assertEquals((1 - keep) * n, dropped, 4 * Math.sqrt(n * keep * (1 - keep)) + 1, "dropped");
    }
}
