package dev.rnn4j.nativeengine.kernels;

/** Work arrays kept from pass to pass: reused while the shapes stay the same. */
public final class Buffers {

    private Buffers() {
    }

    /** {@code a} if it has exactly {@code size} floats, else a new (zeroed) array of that size. */
    public static float[] reuse(float[] a, int size) {
        return a != null && a.length == size ? a : new float[size];
    }

    /**
     * A work array kept in two sizes apart: for a pass that keeps every step (training: backward reads them again)
     * and for one that keeps only the latest steps (inference), so a training loop that validates now and then
     * reallocates neither.
     */
    public static final class TwoSizes {
        private float[] everyStep;
        private float[] latest;

        /** The array for a pass that keeps every step ({@code everyStep}) or not, with exactly {@code size} floats. */
        public float[] reuse(boolean everyStep, int size) {
            if (everyStep) {
                return this.everyStep = Buffers.reuse(this.everyStep, size);
            }
            return latest = Buffers.reuse(latest, size);
        }
    }
}
