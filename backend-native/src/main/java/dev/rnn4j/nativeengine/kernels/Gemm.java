package dev.rnn4j.nativeengine.kernels;

import java.util.function.IntConsumer;

/**
 * Matrix products on row-major float arrays with offsets and leading dimensions, accumulating into C:
 * <ul>
 *   <li>{@link #abt}: {@code C[M,N] += A[M,K] B[N,K]^T} (input projections)</li>
 *   <li>{@link #ab}: {@code C[M,N] += A[M,K] B[K,N]}</li>
 *   <li>{@link #atb}: {@code C[M,N] += A[K,M]^T B[K,N]} (weight gradients summed over all steps)</li>
 *   <li>{@link #multiply}: {@code C += A B} with B packed once by {@link #pack} and reused (the recurrent weights,
 *       once per step)</li>
 * </ul>
 * How (GotoBLAS's scheme): B is packed into blocks of {@link #blockRows()} rows by {@code NR = kernels.panelWidth()}
 * columns, contiguous (zero-padded at the edges); C is cut into tiles of {@code MR = kernels.panelRows()} rows by NR
 * columns, and the micro-kernel ({@link Kernels#packedPanel}) keeps a tile in registers while it runs over one
 * block's rows, so a block is read from L1 by every row block. A is copied into row blocks of MR rows stored column
 * by column when two or more panels read it (or when it is stored column by column, as in {@link #atb}), so the
 * kernel reads it contiguously too; a row-major A larger than L2 is copied range by range, each range by the thread
 * that reaches it, just before the panels read it. The right edge runs at full width on a scratch copy. Special
 * shapes: at most {@link #SMALL_N} columns go column by column (axpy or dot, no panels); N narrower than a panel with
 * M wider is computed transposed ({@code C^T = B^T A^T}) so the long side fills the panels.
 *
 * <p>Work units (a panel by a fixed range of row blocks) are spread over this Gemm's {@link Team} of threads when
 * {@code M N K} is large, and {@link #rows} does the same for per-step row loops. Every element of C is computed by
 * one micro-kernel call in one order whatever the number of threads, so results do not depend on it.
 */
public final class Gemm {
    /**
     * Rows of a packed block where the L1 data cache is small or unknown: {@code KC x NR} floats stay in L1 while row
     * blocks pass over them.
     */
    static final int KC = 128;
    /**
     * Rows of a packed block where the L1 data cache holds at least {@link #WIDE_L1_BYTES}: a 32 KiB block at AVX-512's
     * 32 columns, half as many passes over C. On an Intel Xeon Ice Lake (48 KiB L1) the 1024^3 product took 0.88x the
     * time with it and a layer's input projection 0.82x (docs/speed.md); in a 32 KiB L1 (AMD's Zen 4) such a block
     * would fill the whole cache.
     */
    static final int KC_WIDE_L1 = 256;
    /** The L1 data cache from which packed blocks have {@link #KC_WIDE_L1} rows. */
    static final int WIDE_L1_BYTES = 48 * 1024;
    /** Products with at most this many rows read A in place, without packing it into row blocks. */
    static final int SMALL_M = 4;
    /** Products with at most this many columns skip the panels ({@link #smallN}). */
    static final int SMALL_N = 4;
    /** Products with at most this many inner terms and more columns go row by row ({@link #smallK}). */
    public static final int SMALL_K = 4;
    /** Below this many elements a row loop ({@link #rows}) runs on the calling thread. */
    static final long PARALLEL_ELEMENTS = 1L << 14;
    /**
     * Below this many floats a packing copy runs on the calling thread: a copy is cheap, and waking a parked worker
     * for a small one cost more than it saved (measured on A's training step).
     */
    static final long PARALLEL_COPY = 1L << 17;
    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long PARALLEL_WORK = 1L << 20;
    /** Below this many multiply-adds {@link #multiplyRow} runs on the calling thread. */
    static final long PARALLEL_ONE_ROW = 1L << 15;
    /** Floats of packed A that one range of row blocks may hold: 512 KiB, within every current core's L2. */
    static final long L2_FLOATS = 1L << 17;

    private final Kernels kernels;
    /** Rows of a packed block of B ({@link #KC} or {@link #KC_WIDE_L1}); never changes a sum, only the blocking. */
    private final int kc;
    /** Rows of C per micro-kernel call (the kernels' {@link Kernels#panelRows()}). */
    private final int mr;
    private final int nr;
    private final int threads;
    private final Team pool;
    /** Whether {@link #mostlyZeros} may say yes (false: every product dense, to compare the two paths with). */
    private final boolean sparse;

    /**
     * @param kernels  the vector primitives
     * @param parallel whether large products may use every core ({@code false}: one thread)
     */
    public Gemm(Kernels kernels, boolean parallel) {
        this(kernels, parallel ? Runtime.getRuntime().availableProcessors() : 1);
    }

    /**
     * @param kernels the vector primitives
     * @param threads how many threads large products use (1: the calling thread only)
     */
    public Gemm(Kernels kernels, int threads) {
        this(kernels, threads, blockRowsHere());
    }

    /**
     * @param blockRows rows of a packed block of B, at least 1 (the others choose it from the L1 data cache: {@link
     *                  #blockRowsFor}); results are the same bits for every value
     */
    Gemm(Kernels kernels, int threads, int blockRows) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        this.kc = blockRows;
        this.kernels = kernels;
        this.mr = kernels.panelRows();
        this.nr = kernels.panelWidth();
        this.threads = threads;
        this.pool = threads > 1 ? new Team(threads) : null;
        this.sparse = true;
    }

    private Gemm(Gemm other, boolean sparse) {
        this.kc = other.kc;
        this.kernels = other.kernels;
        this.mr = other.mr;
        this.nr = other.nr;
        this.threads = other.threads;
        this.pool = other.pool;
        this.sparse = sparse;
    }

    /**
     * This Gemm's kernels and threads, with {@link #mostlyZeros} always false, so callers take their dense products:
     * the same bits (for finite values), which tests check, only slower on mostly-zero inputs.
     */
    public Gemm denseOnly() {
        return new Gemm(this, false);
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Rows of a packed block on this machine, as a Gemm made without them chooses ({@link #blockRowsFor}). */
    public static int blockRowsHere() {
        return blockRowsFor(CpuCaches.l1DataBytes());
    }

    /** Rows of a packed block for an L1 data cache of {@code l1Bytes} (0 or less: unknown). */
    static int blockRowsFor(long l1Bytes) {
        return l1Bytes >= WIDE_L1_BYTES ? KC_WIDE_L1 : KC;
    }

    /** Rows of a packed block of B: {@link #KC}, or {@link #KC_WIDE_L1} on a CPU with a large L1 data cache. */
    public int blockRows() {
        return kc;
    }

    /** How many threads large products use. */
    public int threads() {
        return threads;
    }

    /** A loop body over rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over rows {@code [0, n)}, split across this Gemm's threads when there are at least
     * {@link #PARALLEL_ELEMENTS} elements ({@code n * width}). Only for bodies whose rows are independent (each row
     * written by one thread, nothing summed across rows), so the split never changes a result.
     */
    public void rows(int n, int width, RowRange body) {
        rows(n, width, PARALLEL_ELEMENTS, body);
    }

    /**
     * Whether a recurrence over {@code batch} independent rows doing {@code work} multiply-adds in all should run as
     * {@link #batchRanges}: at least two rows per thread and enough work to be worth a hand-over.
     */
    public boolean splitsBatch(int batch, long work) {
        return pool != null && batch >= 2 * threads && work >= PARALLEL_WORK;
    }

    /** Whether every range {@link #batchRanges} cuts {@code [0, batch)} into starts at a multiple of {@code unit}. */
    public boolean batchRangesStartAtMultiplesOf(int batch, int unit) {
        int parts = Math.min(threads, batch);
        for (int part = 0; part < parts; part++) {
            if (rangeStart(batch, part, parts) % unit != 0) {
                return false;
            }
        }
        return true;
    }

    /** Where range {@code part} of {@code parts} starts when {@link #batchRanges} cuts {@code [0, batch)}. */
    private static int rangeStart(int batch, int part, int parts) {
        return batch * part / parts;
    }

    /**
     * {@code A [M, K]} (row i from {@code a[aOff + i * lda]}) packed once into row blocks for {@link
     * #multiplyRowBlocks}, in {@code reuse} when it is large enough: a left-hand side that many products read (a
     * layer's weights, when the batch runs along the vectors' lanes).
     */
    public float[] packRowBlocks(int m, int k, float[] a, int aOff, int lda, float[] reuse) {
        int size = (m + mr - 1) / mr * mr * k;
        return packRowsInto(reuse != null && reuse.length >= size ? reuse : new float[size], m, k, a, aOff, lda, 1,
                false);
    }

    /**
     * {@code C[M, NR] += A B} on the calling thread, for A packed by {@link #packRowBlocks} and B one panel's width
     * ({@code B(p, j) = panel[pOff + p * NR + j]}, {@code NR = kernels().panelWidth()}, K rows), in blocks of
     * {@link #blockRows()} rows of B, each of which stays in L1 while every row block passes (a 512-row panel did
     * not fit, and D's inference lost its gain): each element adds its products in p order, as {@link #multiply}
     * does.
     */
    public void multiplyRowBlocks(int m, int k, float[] blocks, float[] panel, int pOff, float[] c, int cOff, int ldc) {
        for (int p0 = 0; p0 < k; p0 += kc) {
            int rows = Math.min(kc, k - p0);
            for (int rb = 0; rb * mr < m; rb++) {
                kernels.packedPanel(Math.min(mr, m - rb * mr), rows, blocks, rb * mr * k + p0 * mr, panel,
                        pOff + p0 * nr, c, cOff + rb * mr * ldc, ldc, nr);
            }
        }
    }

    /**
     * Runs {@code body} on {@code [0, batch)} cut into one range per thread. Only for bodies whose rows are
     * independent; which range a row falls in never changes what is computed for it.
     */
    public void batchRanges(int batch, RowRange body) {
        int parts = Math.min(threads, batch);
        inParallel(parts, part -> body.run(rangeStart(batch, part, parts), rangeStart(batch, part + 1, parts)));
    }

    /** {@link #rows(int, int, RowRange)} split from {@code threshold} elements. */
    private void rows(int n, int width, long threshold, RowRange body) {
        if (pool == null || (long) n * width < threshold || n < 2) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads);
        inParallel(chunks, ch -> body.run(n * ch / chunks, n * (ch + 1) / chunks));
    }

    /** Runs {@code chunk} for {@code 0 .. chunks-1}: chunk 0 on the calling thread, the others on the team. */
    private void inParallel(int chunks, IntConsumer chunk) {
        pool.run(chunks, chunk);
    }

    /**
     * A right-hand matrix {@code B [K, N]} in blocks of {@code KC} rows by {@code NR} columns, for {@link #multiply}.
     *
     * @param k         rows of B (the inner dimension)
     * @param n         columns of B
     * @param blockRows KC: rows of a block, as the Gemm that packed it chose ({@link #blockRows()})
     * @param data      {@code [ceil(K / KC)][ceil(N / NR)][min(K, KC)][NR]}, zero-padded, from index
     *                  {@link Buffers#ALIGNED_START} (every block on a cache line when the JVM aligns objects so)
     */
    public record Packed(int k, int n, int blockRows, float[] data) {
    }

    /**
     * Packs {@code B [K, N]} where {@code B(p, j) = b[bOff + p * rowStride + j * colStride]}: row-major B has
     * {@code (ldb, 1)}, a B stored transposed ({@code [N, K]}) has {@code (1, ldb)}.
     */
    public Packed pack(int k, int n, float[] b, int bOff, int rowStride, int colStride) {
        return pack(k, n, b, bOff, rowStride, colStride, null);
    }

    /** {@link #pack} into {@code reuse}'s array when it holds a B of the same shape (buffers kept from pass to pass). */
    public Packed pack(int k, int n, float[] b, int bOff, int rowStride, int colStride, Packed reuse) {
        float[] data = packedArray(k, n, reuse);
        packInto(data, k, n, b, bOff, rowStride, colStride);
        return new Packed(k, n, kc, data);
    }

    /** {@code reuse}'s array when it holds a packed B of this shape and blocking, else a new one. */
    private float[] packedArray(int k, int n, Packed reuse) {
        return reuse != null && reuse.k() == k && reuse.n() == n && reuse.blockRows() == kc ? reuse.data()
                : new float[packedSize(k, n)];
    }

    /**
     * {@link #pack} of a row-major {@code B [K, N]} ({@code b} from bOff, rows {@code ldb} apart) that also adds each
     * column's sum over the K rows into {@code sums[sOff ..]}, in row order as {@link #columnSums} does (the same bits),
     * while the rows pass by for the packing: a layer's bias gradient beside its weight gradient's packed B.
     */
    public Packed packSummingColumns(int k, int n, float[] b, int bOff, int ldb, Packed reuse, float[] sums, int sOff) {
        float[] data = packedArray(k, n, reuse);
        packInto(data, k, n, b, bOff, ldb, 1, sums, sOff);
        return new Packed(k, n, kc, data);
    }

    /** Floats a packed {@code B [K, N]} takes, from index 0 (its blocks start at {@link Buffers#ALIGNED_START}). */
    private int packedSize(int k, int n) {
        return Buffers.ALIGNED_START + (k + kc - 1) / kc * ((n + nr - 1) / nr) * blockFloats(k);
    }

    /** Floats of one packed block of a B with K rows: {@code min(K, KC) x NR} (one short block when K < KC). */
    private int blockFloats(int k) {
        return Math.min(kc, k) * nr;
    }

    /** Where the block of panel q holding B's rows from p0 (a multiple of KC) starts in a packed B of K rows. */
    private int blockAt(int p0, int q, int panels, int k) {
        return Buffers.ALIGNED_START + ((p0 / kc) * panels + q) * blockFloats(k);
    }

    /** Per thread, the full-width copy of C's right edge ({@link #unit}). */
    private static final ThreadLocal<float[]> EDGE = new ThreadLocal<>();

    /** This thread's buffer of {@code which}, grown to at least {@code size} floats; its contents are arbitrary. */
    private static float[] scratch(ThreadLocal<float[]> which, int size) {
        float[] buffer = which.get();
        if (buffer == null || buffer.length < size) {
            buffer = new float[size];
            which.set(buffer);
        }
        return buffer;
    }

    /** Per thread, the buffer a product packs its B into when the B is not kept ({@link #product}). */
    private static final ThreadLocal<float[]> PANELS = new ThreadLocal<>();

    /**
     * Packs B into {@code data} (padding written as zeros, so the array may have held anything), panels split across
     * the team when B is large.
     */
    private void packInto(float[] data, int k, int n, float[] b, int bOff, int rowStride, int colStride) {
        packInto(data, k, n, b, bOff, rowStride, colStride, null, 0);
    }

    /** {@link #packInto}, also summing each column into {@code sums} when given (row-major B only). */
    private void packInto(float[] data, int k, int n, float[] b, int bOff, int rowStride, int colStride, float[] sums,
                          int sOff) {
        int panels = (n + nr - 1) / nr;
        int kBlocks = (k + kc - 1) / kc;
        RowRange range = (from, to) -> {
            for (int kb = 0; kb < kBlocks; kb++) { // blocks in order: each column's sum still goes row by row
                int p0 = kb * kc;
                int rows = Math.min(kc, k - p0);
                int rest = from; // the panels the loop below copies
                if (sums == null && colStride == 1) {
                    // the full panels row by row, each row of B read once from left to right: panel by panel, a
                    // block's rows were read rowStride apart, a page each for a wide B (1024^3 took 1.04-1.06x the
                    // time); summing columns, panel by panel keeps the sums in registers down a block (1.5-1.7x faster)
                    int full = Math.min(to, n / nr);
                    copyByRows(rows, from, full, b, bOff + p0 * rowStride, rowStride, data, blockAt(p0, from, panels, k),
                            blockFloats(k));
                    rest = Math.max(from, full);
                }
                for (int q = rest; q < to; q++) {
                    int j0 = q * nr;
                    int width = Math.min(nr, n - j0);
                    int base = blockAt(p0, q, panels, k);
                    if (sums != null) {
                        kernels.copyRowsSumming(rows, width, b, bOff + p0 * rowStride + j0, rowStride, data, base, nr,
                                sums, sOff + j0);
                    } else {
                        for (int p = 0; p < rows; p++) {
                            int src = bOff + (p0 + p) * rowStride + j0 * colStride;
                            int dst = base + p * nr;
                            if (colStride == 1) {
                                System.arraycopy(b, src, data, dst, width);
                            } else {
                                for (int j = 0; j < width; j++) {
                                    data[dst + j] = b[src + j * colStride];
                                }
                            }
                        }
                    }
                    for (int p = 0; width < nr && p < rows; p++) { // the right edge's missing columns as zeros
                        java.util.Arrays.fill(data, base + p * nr + width, base + (p + 1) * nr, 0f);
                    }
                }
            }
        };
        if (pool != null && panels >= 2 && (long) k * n >= PARALLEL_COPY) {
            int chunks = Math.min(panels, threads);
            inParallel(chunks, ch -> range.run(panels * ch / chunks, panels * (ch + 1) / chunks));
        } else {
            range.run(0, panels);
        }
    }

    /**
     * Full panels {@code [q0, q1)} of a block of {@code rows} rows of row-major B (its first row at {@code src}), row
     * by row; the first panel's block starts at {@code dst}, the next ones {@code stride} floats apart.
     */
    private void copyByRows(int rows, int q0, int q1, float[] b, int src, int ldb, float[] data, int dst, int stride) {
        for (int p = 0; p < rows; p++) {
            int from = src + p * ldb + q0 * nr;
            int to = dst + p * nr;
            for (int q = q0; q < q1; q++, from += nr, to += stride) {
                System.arraycopy(b, from, data, to, nr);
            }
        }
    }

    /** Packs a B used once, into this thread's buffer. */
    private Packed packOnce(int k, int n, float[] b, int bOff, int rowStride, int colStride) {
        float[] data = scratch(PANELS, packedSize(k, n));
        packInto(data, k, n, b, bOff, rowStride, colStride);
        return new Packed(k, n, kc, data);
    }

    /**
     * {@code C[M, N] += A[M, K] B} for a packed {@code B [K, N]}, where {@code A(i, p) = a[aOff + i * rowStride + p *
     * colStride]} and row i of C starts at {@code cOff + i * ldc}.
     */
    public void multiply(int m, float[] a, int aOff, int rowStride, int colStride, Packed b, float[] c, int cOff,
                         int ldc) {
        int k = b.k();
        int n = b.n();
        requireOwnBlocks(b);
        if (m == 0 || n == 0) {
            return;
        }
        int rowBlocks = (m + mr - 1) / mr;
        int panels = (n + nr - 1) / nr;
        boolean parallel = pool != null && (long) m * n * k >= PARALLEL_WORK && rowBlocks * panels >= 2;
        // A read by two or more panels, or stored column by column (A^T B, weight gradients), is first copied into
        // row blocks, so the micro-kernel reads it contiguously; a few rows (a single sequence's step) are read as
        // they are, since a row block would be mostly zero padding
        boolean packA = (panels >= 2 && m > SMALL_M) || colStride != 1;
        Operand strided = new Operand(a, aOff, rowStride, colStride, false);
        if (m == 1 && !parallel && !packA) {
            oneRow(n, k, strided, b.data(), c, cOff, 0, panels);
            return;
        }
        // a long inner dimension (a weight gradient summed over every step) is taken in slabs of K, in order, each
        // slab's rows of A packed just before it and small enough to stay in L2 while every panel of B passes over
        // them once; each element of C still adds its products in p order
        int slab = k;
        if ((long) rowBlocks * mr * k > L2_FLOATS && k > 4 * kc) {
            slab = (int) Math.max(kc, L2_FLOATS / ((long) rowBlocks * mr) / kc * kc);
        }
        if (packA && colStride == 1 && slab == k && l2Ranges(rowBlocks, k) > 1) {
            // a row-major A larger than L2, in one slab: packed range by range in the units
            units(m, n, k, 0, k, strided, true, b.data(), c, cOff, ldc, parallel);
            return;
        }
        // packing is split across the team by the size of the whole of A, even when it goes slab by slab
        boolean splitPacking = parallel && (long) m * k >= PARALLEL_COPY;
        for (int p0 = 0; p0 < k; p0 += slab) {
            int p1 = Math.min(k, p0 + slab);
            Operand left = packA ? packed(packRows(m, p1 - p0, a, aOff + p0 * colStride, rowStride, colStride,
                    splitPacking), p0, p1 - p0) : strided;
            units(m, n, k, p0, p1, left, false, b.data(), c, cOff, ldc, parallel);
        }
    }

    /** B packed by a Gemm with other blocks cannot be read by this one's loops. */
    private void requireOwnBlocks(Packed b) {
        if (b.blockRows() != kc) {
            throw new IllegalArgumentException("B was packed in blocks of " + b.blockRows()
                    + " rows, this Gemm reads blocks of " + kc);
        }
    }

    /**
     * {@code C += A[:, kFrom..kTo) B[kFrom..kTo, :]} (kFrom a multiple of KC) in work units: one panel by a fixed
     * range of row blocks, row range by row range, so the rows of A a range holds stay in L2 while every panel passes
     * over them; which thread runs a unit never changes a result.
     *
     * @param packRanges whether {@code left} is a row-major A over all of K, in more than one L2-sized range, still to
     *                   be packed: each thread then packs a range's rows into its own buffer when its run of units
     *                   reaches the range, so they are in L2 when the range's first panel reads them (packed all at
     *                   once beforehand, a large A's first ranges had left L2 by then: 1024^3 on one thread took
     *                   0.96-0.98x of the time packed so)
     */
    private void units(int m, int n, int k, int kFrom, int kTo, Operand left, boolean packRanges, float[] packed,
                       float[] c, int cOff, int ldc, boolean parallel) {
        int rowBlocks = (m + mr - 1) / mr;
        int panels = (n + nr - 1) / nr;
        int l2Chunks = l2Ranges(rowBlocks, kTo - kFrom);
        int rowChunks = Math.max(l2Chunks, parallel ? parallelRowChunks(rowBlocks, panels) : 1);
        int units = panels * rowChunks;
        // when all of A's rows fit L2 together, the units go panel by panel, so the threads' runs hold equal numbers
        // of each chunk's units even when the chunks differ (3 row blocks in chunks of 1 and 2 left one thread with
        // twice the other's work); otherwise chunk by chunk, each chunk's rows staying in L2 while the panels pass
        boolean byPanel = parallel && l2Chunks == 1;
        RowRange runs = (u0, u1) -> { // the units [u0, u1) on one thread
            Operand rowsHere = left;
            for (int u = u0; u < u1; u++) {
                int ch = byPanel ? u % rowChunks : u / panels;
                int q = byPanel ? u / rowChunks : u % panels;
                int rb0 = rowBlocks * ch / rowChunks;
                int rb1 = rowBlocks * (ch + 1) / rowChunks;
                if (packRanges && (u == u0 || q == 0)) { // this thread reaches range ch
                    rowsHere = packedRange(left, rb0, rb1, m, k);
                }
                unit(q, rb0, rb1, m, n, k, kFrom, kTo, rowsHere, packed, c, cOff, ldc);
            }
        };
        if (!parallel) {
            runs.run(0, units);
            return;
        }
        // the units in as many contiguous runs as there are threads
        int parts = Math.min(units, threads);
        inParallel(parts, part -> runs.run(units * part / parts, units * (part + 1) / parts));
    }

    /** How many ranges of row blocks, each small enough to stay in L2 over {@code columns} of K, A's rows take. */
    private int l2Ranges(int rowBlocks, int columns) {
        int fitL2 = (int) Math.max(1, L2_FLOATS / ((long) mr * columns));
        return (rowBlocks + fitL2 - 1) / fitL2;
    }

    /**
     * Row chunks for a parallel product: enough for four units per thread, and then as many more as make the units
     * (panels x chunks) a whole number per thread where the row blocks allow it. B's weight gradient has 13 panels:
     * in one chunk each, one of two threads took 7 units and the other waited a seventh of the product.
     */
    private int parallelRowChunks(int rowBlocks, int panels) {
        int wanted = Math.min(rowBlocks, (4 * threads + panels - 1) / panels);
        for (int chunks = wanted; chunks <= rowBlocks; chunks++) {
            if ((long) panels * chunks % threads == 0) {
                return chunks;
            }
        }
        return wanted;
    }

    /**
     * {@code C[1, N] += A[1, K] B} for a packed B, as {@link #multiply} with one row ({@code A(0, p) = a[aOff + p *
     * colStride]}), but with the panels split across the team from {@link #PARALLEL_ONE_ROW} multiply-adds, each
     * thread reading its part of B: for one sequence's steps in a long pass, whose workers stay awake from step to
     * step. {@code multiply} keeps a single row on the calling thread, for a lone step (a stream's, as in
     * {@code generate}): there the hand-over cost more than it saved (docs/speed.md). The same bits on any thread
     * count.
     */
    public void multiplyRow(float[] a, int aOff, int colStride, Packed b, float[] c, int cOff) {
        int k = b.k();
        int n = b.n();
        requireOwnBlocks(b);
        int panels = (n + nr - 1) / nr;
        Operand row = new Operand(a, aOff, 0, colStride, false);
        if (pool == null || panels < 2 || (long) n * k < PARALLEL_ONE_ROW) {
            oneRow(n, k, row, b.data(), c, cOff, 0, panels);
            return;
        }
        int parts = Math.min(threads, panels);
        inParallel(parts, part -> oneRow(n, k, row, b.data(), c, cOff, panels * part / parts,
                panels * (part + 1) / parts));
    }

    /**
     * Panels {@code [q0, q1)} of a single row of C (one sequence's step): the full panels of each block together
     * ({@link Kernels#rowPanels}), then the right edge as {@link #unit} does it; every element adds its products in
     * the same order as there.
     */
    private void oneRow(int n, int k, Operand a, float[] packed, float[] c, int cOff, int q0, int q1) {
        int panels = (n + nr - 1) / nr;
        int full = Math.min(q1, n / nr);
        for (int p0 = 0; p0 < k && q0 < full; p0 += kc) {
            int rows = Math.min(kc, k - p0);
            kernels.rowPanels(rows, a.data(), a.offset() + p0 * a.colStride(), a.colStride(), packed,
                    blockAt(p0, q0, panels, k), blockFloats(k), full - q0, c, cOff + q0 * nr);
        }
        if (full < q1) { // the right edge, panel n / nr
            unit(full, 0, 1, 1, n, k, 0, k, a, packed, c, cOff, 0);
        }
    }

    /**
     * Panel q against row blocks {@code [rb0, rb1)}, over the inner dimension's {@code [kFrom, kTo)}: for each block
     * of KC rows of B, every row block's tile; so the {@code KC x NR} block stays in L1, and each element of C still
     * adds its products in p order.
     */
    private void unit(int q, int rb0, int rb1, int m, int n, int k, int kFrom, int kTo, Operand a, float[] packed,
                      float[] c, int cOff, int ldc) {
        int panels = (n + nr - 1) / nr;
        int j0 = q * nr;
        int width = Math.min(nr, n - j0);
        // the right edge is computed at full width in a scratch copy (the packed panel is zero-padded there)
        float[] edge = width < nr ? scratch(EDGE, (rb1 - rb0) * mr * nr) : null;
        if (edge != null) {
            for (int i = rb0 * mr; i < Math.min(m, rb1 * mr); i++) {
                System.arraycopy(c, cOff + i * ldc + j0, edge, (i - rb0 * mr) * nr, width);
            }
        }
        for (int p0 = kFrom; p0 < kTo; p0 += kc) {
            int rows = Math.min(kc, k - p0);
            int block = blockAt(p0, q, panels, k);
            for (int rb = rb0; rb < rb1; rb++) {
                int i0 = rb * mr;
                int rowsHere = Math.min(mr, m - i0);
                float[] out = edge == null ? c : edge;
                int outOff = edge == null ? cOff + i0 * ldc + j0 : (i0 - rb0 * mr) * nr;
                int ldOut = edge == null ? ldc : nr;
                int at = a.offset() + i0 * a.rowStride() + p0 * a.colStride(); // A(i0, p0), packed or not
                if (a.packed()) {
                    kernels.packedPanel(rowsHere, rows, a.data(), at, packed, block, out, outOff, ldOut, nr);
                } else {
                    kernels.panel(rowsHere, rows, a.data(), at, a.rowStride(), a.colStride(), packed, block, out,
                            outOff, ldOut, nr);
                }
            }
        }
        if (edge != null) {
            for (int i = rb0 * mr; i < Math.min(m, rb1 * mr); i++) {
                System.arraycopy(edge, (i - rb0 * mr) * nr, c, cOff + i * ldc + j0, width);
            }
        }
    }

    /**
     * The left-hand matrix as the micro-kernel reads it: strided ({@code A(i, p) = data[offset + i * rowStride + p *
     * colStride]}), or packed by {@link #packRows} ({@link #packed}: a row block's first row i0 at {@code offset + i0
     * * rowStride}, column p of the block {@code mr} floats further per column, its rows consecutive).
     */
    private record Operand(float[] data, int offset, int rowStride, int colStride, boolean packed) {
    }

    /** Row blocks packed by {@link #packRows} holding A's columns {@code [first, first + columns)}. */
    private Operand packed(float[] rowBlocks, int first, int columns) {
        return new Operand(rowBlocks, -first * mr, columns, mr, true);
    }

    /**
     * Row blocks {@code [rb0, rb1)} of a row-major A over all of its K columns, packed into this thread's buffer, as
     * an operand indexed by A's own rows (a block's first row i0 at {@code (i0 - rb0 mr) K}).
     */
    private Operand packedRange(Operand a, int rb0, int rb1, int m, int k) {
        float[] blocks = packRowsInto(scratch(ROW_BLOCKS, (rb1 - rb0) * mr * k), Math.min(m, rb1 * mr) - rb0 * mr, k,
                a.data(), a.offset() + rb0 * mr * a.rowStride(), a.rowStride(), 1, false);
        return new Operand(blocks, -rb0 * mr * k, k, mr, true);
    }

    /** Per thread, the buffer {@link #packRows} and {@link #packedRange} fill (kept: packing allocates nothing). */
    private static final ThreadLocal<float[]> ROW_BLOCKS = new ThreadLocal<>();

    /**
     * A's rows in blocks of {@code mr}, each block column by column ({@code [rowBlock][p][mr]}, zero-padded rows), in
     * this thread's buffer; the work is split across the team when {@code split}.
     */
    private float[] packRows(int m, int k, float[] a, int aOff, int rowStride, int colStride, boolean split) {
        return packRowsInto(scratch(ROW_BLOCKS, (m + mr - 1) / mr * mr * k), m, k, a, aOff, rowStride, colStride,
                split);
    }

    /** {@link #packRows} into {@code into} (at least the row blocks' size). */
    private float[] packRowsInto(float[] into, int m, int k, float[] a, int aOff, int rowStride, int colStride,
                                 boolean split) {
        int rowBlocks = (m + mr - 1) / mr;
        if (rowStride == 1 && colStride != 1) {
            // A stored transposed (a weight gradient's x^T): each column of A is contiguous, so A^T is read once, row
            // by row, each row handing every row block its few floats (block by block, A^T was swept once per block)
            RowRange columns = (from, to) -> {
                for (int p = from; p < to; p++) {
                    int at = aOff + p * colStride;
                    for (int rb = 0; rb < rowBlocks; rb++) {
                        int rows = Math.min(mr, m - rb * mr);
                        int dst = rb * mr * k + p * mr;
                        System.arraycopy(a, at + rb * mr, into, dst, rows);
                        if (rows < mr) {
                            java.util.Arrays.fill(into, dst + rows, dst + mr, 0f);
                        }
                    }
                }
            };
            if (split) {
                inParallel(threads, ch -> columns.run(k * ch / threads, k * (ch + 1) / threads));
            } else {
                columns.run(0, k);
            }
            return into;
        }
        RowRange blocks = (from, to) -> {
            for (int rb = from; rb < to; rb++) {
                int base = rb * mr * k;
                int rows = Math.min(mr, m - rb * mr);
                int src = aOff + rb * mr * rowStride;
                if (colStride == 1) {
                    kernels.packRowBlock(rows, k, a, src, rowStride, into, base, mr);
                    continue;
                }
                for (int p = 0; p < k; p++) {
                    int dst = base + p * mr;
                    int at = src + p * colStride;
                    for (int i = 0; i < rows; i++) {
                        into[dst + i] = a[at + i * rowStride];
                    }
                    for (int i = rows; i < mr; i++) {
                        into[dst + i] = 0f;
                    }
                }
            }
        };
        if (split && rowBlocks >= 2) {
            int chunks = Math.min(rowBlocks, threads);
            inParallel(chunks, ch -> blocks.run(rowBlocks * ch / chunks, rowBlocks * (ch + 1) / chunks));
        } else {
            blocks.run(0, rowBlocks);
        }
        return into;
    }

    /** {@code C[M,N] += A[M,K] * B[N,K]^T}. */
    public void abt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
        product(m, n, k, a, aOff, lda, 1, b, bOff, 1, ldb, c, cOff, ldc);
    }

    /** {@code C[M,N] += A[M,K] * B[K,N]}. */
    public void ab(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float[] c, int cOff, int ldc) {
        product(m, n, k, a, aOff, lda, 1, b, bOff, ldb, 1, c, cOff, ldc);
    }

    /** {@code C[M,N] += A[K,M]^T * B[K,N]}. */
    public void atb(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float[] c, int cOff, int ldc) {
        product(m, n, k, a, aOff, 1, lda, b, bOff, ldb, 1, c, cOff, ldc);
    }

    /**
     * {@code C += A B} with {@code A(i, p) = a[aOff + i * ars + p * acs]}, {@code B(p, j) = b[bOff + p * brs + j *
     * bcs]}. Computed as {@code C^T += B^T A^T} when that fills the panels better (N narrow, M wide).
     */
    private void product(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs,
                         int bcs, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (n <= SMALL_N) {
            smallN(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc);
            return;
        }
        if (k <= SMALL_K) {
            smallK(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, c, cOff, ldc);
            return;
        }
        if (n < nr && m > n && padding(n) > padding(m)) {
            float[] ct = new float[n * m];
            multiply(n, b, bOff, bcs, brs, packOnce(k, m, a, aOff, acs, ars), ct, 0, m);
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += ct[j * m + i];
                }
            }
            return;
        }
        multiply(m, a, aOff, ars, acs, packOnce(k, n, b, bOff, brs, bcs), c, cOff, ldc);
    }

    /**
     * A few columns of C (an input of one or two features, a single output): each column on its own, as axpy over
     * the columns of A (when A is stored column by column) or as dot products with the rows of A; no panel to fill.
     */
    private void smallN(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs,
                        int bcs, float[] c, int cOff, int ldc) {
        float[] column = new float[ars == 1 ? m : k];
        for (int j = 0; j < n; j++) {
            if (ars == 1) {
                // C[:, j] += sum_p B(p, j) A[:, p], A's column p contiguous
                java.util.Arrays.fill(column, 0f);
                for (int p = 0; p < k; p++) {
                    kernels.axpy(b[bOff + p * brs + j * bcs], a, aOff + p * acs, column, 0, m);
                }
                for (int i = 0; i < m; i++) {
                    c[cOff + i * ldc + j] += column[i];
                }
            } else {
                // C[i, j] += dot(A[i, :], B[:, j]), B's column gathered once
                for (int p = 0; p < k; p++) {
                    column[p] = b[bOff + p * brs + j * bcs];
                }
                for (int i = 0; i < m; i++) {
                    c[cOff + i * ldc + j] += acs == 1 ? kernels.dot(a, aOff + i * ars, column, 0, k)
                            : stridedDot(a, aOff + i * ars, acs, column, k);
                }
            }
        }
    }

    /** Per thread, B's few rows gathered by {@link #smallK}. */
    private static final ThreadLocal<float[]> B_ROWS = new ThreadLocal<>();

    /**
     * A few inner terms (an input projection of one to four features): panels would load and store every tile of C
     * for one to four multiply-adds each, so instead each row of C takes its terms in one pass, {@code C[i, :] =
     * F[i, :] + A(i, 0) B[0, :] + ... + A(i, k-1) B[k-1, :]}, with B's rows gathered once ({@link #fewRows}); F, row i
     * at {@code init + initOff + i * initLd}, is C itself (the product accumulates into C) or one row ({@code initLd}
     * 0: a bias). Rows are independent: split across the team above {@link #PARALLEL_COPY} elements.
     */
    private void smallK(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs,
                        int bcs, float[] c, int cOff, int ldc, float[] init, int initOff, int initLd) {
        float[] bRows = gatherRows(n, k, b, bOff, brs, bcs, scratch(B_ROWS, SMALL_K * n));
        termByTerm(m, n, k, a, aOff, ars, acs, bRows, c, cOff, ldc, init, initOff, initLd);
    }

    /** {@link #smallK}'s pass over C, B's rows given ({@code bRows [SMALL_K, N]}, the rows past K zero). */
    private void termByTerm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] bRows, float[] c,
                            int cOff, int ldc, float[] init, int initOff, int initLd) {
        rows(m, n, PARALLEL_COPY, (from, to) -> // one pass over C, as cheap per element as a copy
                kernels.axpy4Rows(to - from, k, a, aOff + from * ars, ars, acs, bRows, n, init, initOff + from * initLd,
                        initLd, c, cOff + from * ldc, ldc));
    }

    /** {@code B(p, j) = b[bOff + p * brs + j * bcs]}'s K rows as {@code [SMALL_K, N]} in {@code into}, zero past K. */
    private static float[] gatherRows(int n, int k, float[] b, int bOff, int brs, int bcs, float[] into) {
        for (int p = 0; p < SMALL_K; p++) {
            for (int j = 0; j < n; j++) {
                into[p * n + j] = p < k ? b[bOff + p * brs + j * bcs] : 0f;
            }
        }
        return into;
    }

    /** Whether {@link #abtFromRow} takes an A of K columns and a C of N columns term by term (a few features). */
    public static boolean fewTerms(int n, int k) {
        return k > 0 && k <= SMALL_K && n > SMALL_N;
    }

    /**
     * The rows {@link #abtFromRows} reads for a {@code B [N, K]} ({@code b} from bOff, leading dimension ldb) when
     * {@link #fewTerms}: {@code B^T} padded with zero rows to {@link #SMALL_K}, in {@code reuse} when it holds them.
     * A layer makes them once per change of its input weights; {@link #abtFromRow} gathers them at every call.
     */
    public static float[] fewRows(int n, int k, float[] b, int bOff, int ldb, float[] reuse) {
        float[] into = reuse != null && reuse.length == SMALL_K * n ? reuse : new float[SMALL_K * n];
        return gatherRows(n, k, b, bOff, 1, ldb, into);
    }

    /**
     * {@code C[M,N] = row + A[M,K] B[N,K]^T}: every row of C starts as {@code row[rowOff .. rowOff + N)} (a bias),
     * then takes the product; with a few inner terms ({@link #fewTerms}), both in one pass over C.
     */
    public void abtFromRow(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] row, int rowOff, float[] c, int cOff, int ldc) {
        if (fewTerms(n, k)) {
            smallK(m, n, k, a, aOff, lda, 1, b, bOff, 1, ldb, c, cOff, ldc, row, rowOff, 0);
            return;
        }
        fillRows(m, n, row, rowOff, c, cOff, ldc);
        abt(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    }

    /**
     * {@link #abtFromRow} where {@link #fewTerms}, with B's rows made beforehand by {@link #fewRows}: the same sums,
     * without gathering B's K x N floats again at every call (a layer's input projection runs once per time step).
     */
    public void abtFromRows(int m, int n, int k, float[] a, int aOff, int lda, float[] bRows, float[] row, int rowOff,
                            float[] c, int cOff, int ldc) {
        if (!fewTerms(n, k) || bRows.length != SMALL_K * n) {
            throw new IllegalArgumentException("abtFromRows takes " + SMALL_K + " x " + n + " rows of a B with 1 to "
                    + SMALL_K + " columns, got K = " + k + " and " + bRows.length + " floats");
        }
        termByTerm(m, n, k, a, aOff, lda, 1, bRows, c, cOff, ldc, row, rowOff, 0);
    }

    /**
     * At most one in this many entries non-zero makes an A worth {@link #sparseMultiply}: each non-zero then costs one
     * row update (a load, a multiply-add and a store per vector, where the micro-kernel's tile makes two multiply-adds
     * per load), so up to about one in three would still pay; one in eight leaves a margin. One-hot inputs (a
     * character or a category out of I) have one in I.
     */
    static final int SPARSE_FRACTION = 8;

    /**
     * Whether at most one in {@link #SPARSE_FRACTION} of {@code a[off .. off + len)} is non-zero (always false for a
     * {@link #denseOnly} Gemm).
     */
    public boolean mostlyZeros(float[] a, int off, int len) {
        if (!sparse || len == 0) {
            return false;
        }
        int allowed = len / SPARSE_FRACTION;
        int nonZero = 0;
        for (int i = off; i < off + len; i++) {
            if (a[i] != 0f && ++nonZero > allowed) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code C[M, N] += A[M, K] B[K, N]} for an A that is mostly zeros ({@link #mostlyZeros}; one-hot inputs) and a
     * plain row-major B ({@code B(p, j) = b[bOff + p * ldb + j]}), where {@code A(i, p) = a[aOff + i * rowStride + p
     * * colStride]}: each non-zero {@code A(i, p)}, p in order, adds {@code A(i, p)} times B's row p to C's row i
     * ({@link Kernels#addRow}). Those are {@link #multiply}'s sums, which add each element's products in p order,
     * without its products by zero, and so the same bits while B is finite (a zero times an infinite B is NaN there).
     * Columns are split across the team; each element's sum stays in one thread and in order.
     */
    public void sparseMultiply(int m, int n, int k, float[] a, int aOff, int rowStride, int colStride, float[] b,
                               int bOff, int ldb, float[] c, int cOff, int ldc) {
        RowRange columns = (j0, j1) -> {
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < m; i++) {
                    float v = a[aOff + i * rowStride + p * colStride];
                    if (v != 0f) {
                        kernels.addRow(v, b, bOff + p * ldb + j0, c, cOff + i * ldc + j0, j1 - j0);
                    }
                }
            }
        };
        // split as multiply would split the work it has at most (an eighth of the dense product's)
        inColumnPieces(n, pool != null && (long) m * n * k / SPARSE_FRACTION >= PARALLEL_WORK, columns);
    }

    /**
     * {@code columns} over {@code [0, n)}: in one piece per thread when {@code split} and there are at least two
     * panels, cut at whole panels (every piece but the last has only full vectors), else in one piece here.
     */
    private void inColumnPieces(int n, boolean split, RowRange columns) {
        int parts = split && n >= 2 * nr ? threads : 1;
        if (parts == 1) {
            columns.run(0, n);
            return;
        }
        int panels = n / nr;
        inParallel(parts, part -> columns.run(part == 0 ? 0 : panels * part / parts * nr,
                part == parts - 1 ? n : panels * (part + 1) / parts * nr));
    }

    /** Every one of C's {@code m} rows (from {@code cOff}, {@code ldc} apart) := {@code row[rowOff .. rowOff + n)}. */
    public static void fillRows(int m, int n, float[] row, int rowOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(row, rowOff, c, cOff + i * ldc, n);
        }
    }

    private static float stridedDot(float[] a, int off, int stride, float[] b, int k) {
        float s = 0;
        for (int p = 0; p < k; p++) {
            s += a[off + p * stride] * b[p];
        }
        return s;
    }

    /** Columns a panel of width NR wastes on a side of length {@code len}, as a fraction. */
    private double padding(int len) {
        int padded = (len + nr - 1) / nr * nr;
        return (double) (padded - len) / padded;
    }

    /** {@code sums[j] += sum_i a[aOff + i*lda + j]} for {@code j < n}, {@code i < m} (bias gradients). */
    public void columnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sOff) {
        // columns split across the team for large sums: each column is still summed over the rows in order
        inColumnPieces(n, pool != null && (long) m * n >= PARALLEL_COPY,
                (j0, j1) -> kernels.addColumnSums(m, j1 - j0, a, aOff + j0, lda, sums, sOff + j0));
    }
}
