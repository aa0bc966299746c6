package dev.rnn4j.nativeengine.kernels;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Row-major matrix products on float arrays with offsets and leading dimensions, accumulating into C:
 * <ul>
 *   <li>{@link #abt}: {@code C[M,N] += A[M,K] B[N,K]^T} (input and recurrent projections)</li>
 *   <li>{@link #ab}: {@code C[M,N] += A[M,K] B[K,N]} (gradients to inputs and hidden states)</li>
 *   <li>{@link #atb}: {@code C[M,N] += A[K,M]^T B[K,N]} (weight gradients summed over all steps)</li>
 * </ul>
 * All three run one of two inner loops, whichever is longer: rows of C updated four rows of B at a time
 * ({@link Kernels#axpy4}, inner length N) or dot products (inner length K). An operand is transposed into a
 * scratch copy when the chosen loop needs the other layout, which costs O(size) against O(M N K).
 * Rows of C are split across threads when {@code M N K} is large. Each element is always computed by one
 * thread in one order, so results do not depend on the thread count.
 */
public final class Gemm {
    /** Below this many multiply-adds a product runs on the calling thread (per-step products stay serial). */
    static final long PARALLEL_WORK = 1L << 20;

    private final Kernels kernels;
    private final boolean parallel;

    /**
     * @param kernels  the vector primitives
     * @param parallel whether large products may use the common fork-join pool
     */
    public Gemm(Kernels kernels, boolean parallel) {
        this.kernels = kernels;
        this.parallel = parallel;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** {@code C[M,N] += A[M,K] * B[N,K]^T}. */
    public void abt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
        if (k >= n) {
            dotForm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            axpyForm(m, n, k, a, aOff, lda, transpose(n, k, b, bOff, ldb), 0, n, c, cOff, ldc);
        }
    }

    /** {@code C[M,N] += A[M,K] * B[K,N]}. */
    public void ab(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc) {
        if (n >= k) {
            axpyForm(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            dotForm(m, n, k, a, aOff, lda, transpose(k, n, b, bOff, ldb), 0, k, c, cOff, ldc);
        }
    }

    /**
     * {@code C[M,N] += A[K,M]^T * B[K,N]}. Transposes the narrower of A and B: with {@code N < M} it computes
     * {@code C^T = B^T A} (rows of length M) and adds its transpose, so the long inner loop runs over M.
     */
    public void atb(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
        if (n >= m) {
            axpyForm(m, n, k, transpose(k, m, a, aOff, lda), 0, k, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        float[] ct = new float[n * m];
        axpyForm(n, m, k, transpose(k, n, b, bOff, ldb), 0, k, a, aOff, lda, ct, 0, m);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                c[cOff + i * ldc + j] += ct[j * m + i];
            }
        }
    }

    /** {@code sums[j] += sum_i a[aOff + i*lda + j]} for {@code j < n}, {@code i < m} (bias gradients). */
    public void columnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        for (int i = 0; i < m; i++) {
            kernels.axpy(1f, a, aOff + i * lda, sums, sOff, n);
        }
    }

    /** {@code C[i,j] += dot(A[i,:], Bt[j,:])}. */
    private void dotForm(int m, int n, int k, float[] a, int aOff, int lda, float[] bt, int bOff, int ldb,
                         float[] c, int cOff, int ldc) {
        rows(m, (long) m * n * k, i -> {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] += kernels.dot(a, ai, bt, bOff + j * ldb, k);
            }
        });
    }

    /** {@code C[i,:] += sum_p A[i,p] B[p,:]}, four p at a time. */
    private void axpyForm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        rows(m, (long) m * n * k, i -> {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                int b0 = bOff + p * ldb;
                kernels.axpy4(a[ai + p], a[ai + p + 1], a[ai + p + 2], a[ai + p + 3], b, b0, b0 + ldb, b0 + 2 * ldb,
                        b0 + 3 * ldb, c, ci, n);
            }
            for (; p < k; p++) {
                kernels.axpy(a[ai + p], b, bOff + p * ldb, c, ci, n);
            }
        });
    }

    /** The {@code [cols, rows]} transpose of a {@code [rows, cols]} block, as a new dense array. */
    public static float[] transpose(int rows, int cols, float[] x, int off, int ld) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            int xi = off + i * ld;
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[xi + j];
            }
        }
        return t;
    }

    private void rows(int m, long work, IntConsumer body) {
        if (parallel && m > 1 && work >= PARALLEL_WORK) {
            int chunks = Math.min(m, 4 * Runtime.getRuntime().availableProcessors());
            IntStream.range(0, chunks).parallel().forEach(ch -> {
                int from = (int) ((long) m * ch / chunks);
                int to = (int) ((long) m * (ch + 1) / chunks);
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            });
        } else {
            for (int i = 0; i < m; i++) {
                body.accept(i);
            }
        }
    }
}
