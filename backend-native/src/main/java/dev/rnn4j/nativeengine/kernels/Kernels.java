package dev.rnn4j.nativeengine.kernels;

/**
 * The two vector primitives every matrix product here is built from.
 *
 * <p>{@link #best()} picks the Vector API version when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, the scalar one otherwise.
 */
public interface Kernels {

    /** {@code sum_k a[aOff + k] * b[bOff + k]} for {@code k < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff + k] += alpha * x[xOff + k]} for {@code k < n}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code vector} or {@code scalar}. */
    String name();

    /** Plain Java loops; always available. */
    static Kernels scalar() {
        return new ScalarKernels();
    }

    /** Whether the incubating Vector API module is loaded in this JVM. */
    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The Vector API kernels.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    static Kernels vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("The Vector API is not available: start the JVM with "
                    + "--add-modules jdk.incubator.vector");
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
