package dev.rnn4j.nativeengine.kernels;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Row-major matrix products on float arrays with offsets and leading dimensions, accumulating into C:
 * <ul>
 *   <li>{@link #abt}: {@code C[M,N] += A[M,K] B[N,K]^T} (dot products; input and recurrent projections)</li>
 *   <li>{@link #ab}: {@code C[M,N] += A[M,K] B[K,N]} (axpy rows; gradients to inputs and hidden states)</li>
 *   <li>{@link #atb}: {@code C[M,N] += A[K,M]^T B[K,N]} (weight gradients summed over all steps)</li>
 * </ul>
 * Rows of C are split across threads when {@code M*N*K} exceeds a threshold. Each element is computed by
 * one thread in a fixed order, so the result is the same for any thread count.
 */
public final class Gemm {
    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long PARALLEL_WORK = 1L << 17;

    private final Kernels kernels;
    private final boolean parallel;

    /**
     * @param kernels  the dot/axpy implementation
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
        rows(m, (long) m * n * k, i -> {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] += kernels.dot(a, ai, b, bOff + j * ldb, k);
            }
        });
    }

    /** {@code C[M,N] += A[M,K] * B[K,N]}. */
    public void ab(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc) {
        rows(m, (long) m * n * k, i -> {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float v = a[ai + p];
                if (v != 0f) {
                    kernels.axpy(v, b, bOff + p * ldb, c, ci, n);
                }
            }
        });
    }

    /** {@code C[M,N] += A[K,M]^T * B[K,N]}. */
    public void atb(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
        rows(m, (long) m * n * k, i -> {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float v = a[aOff + p * lda + i];
                if (v != 0f) {
                    kernels.axpy(v, b, bOff + p * ldb, c, ci, n);
                }
            }
        });
    }

    /** {@code sums[j] += sum_i a[aOff + i*lda + j]} for {@code j < n}, {@code i < m} (bias gradients). */
    public void columnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        for (int i = 0; i < m; i++) {
            kernels.axpy(1f, a, aOff + i * lda, sums, sOff, n);
        }
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
