package dev.rnn4j.nativeengine.kernels;

/** Work arrays kept from pass to pass: reused while the shapes stay the same. */
public final class Buffers {

    private Buffers() {
    }

    /** {@code a} if it has exactly {@code size} floats, else a new (zeroed) array of that size. */
    public static float[] reuse(float[] a, int size) {
        return a != null && a.length == size ? a : new float[size];
    }
}
