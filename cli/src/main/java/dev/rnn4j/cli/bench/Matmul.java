package dev.rnn4j.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.SplittableRandom;

/** The physical limit, measured in the same run: a float32 1024 x 1024 x 1024 product on native's GEMM and on libtorch. */
final class Matmul {
    static final int SIZE = 1024;

    private Matmul() {
    }

    /** A product on the native engine's GEMM, {@code threads} threads. */
    static Runner nativeGemm(int threads) {
        Gemm gemm = new Gemm(Kernels.best(), threads);
        float[] a = random(SIZE * SIZE, 1);
        float[] b = random(SIZE * SIZE, 2);
        float[] c = new float[SIZE * SIZE];
        return new Runner() {
            @Override
            public String backend() {
                return "native";
            }

            @Override
            public String mode() {
                return "matmul";
            }

            @Override
            public void run() {
                gemm.ab(SIZE, SIZE, SIZE, a, 0, SIZE, b, 0, SIZE, c, 0, SIZE);
            }
        };
    }

    /** The same product with libtorch's matMul (its thread count set when the engine started). */
    static Runner libtorch() {
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        NDArray a = manager.create(random(SIZE * SIZE, 1), new Shape(SIZE, SIZE));
        NDArray b = manager.create(random(SIZE * SIZE, 2), new Shape(SIZE, SIZE));
        return new Runner() {
            @Override
            public String backend() {
                return "libtorch";
            }

            @Override
            public String mode() {
                return "matmul";
            }

            @Override
            public void run() {
                a.matMul(b).close();
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }

    /** GFLOP/s of one product taking {@code ms}. */
    static double gflops(double ms) {
        return 2.0 * SIZE * SIZE * SIZE / (ms * 1e-3) / 1e9;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }
}
