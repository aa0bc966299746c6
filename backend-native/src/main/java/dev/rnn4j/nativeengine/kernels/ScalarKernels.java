package dev.rnn4j.nativeengine.kernels;

/** Plain loops; the reference the vector kernels are tested against. */
final class ScalarKernels implements Kernels {

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        int k = 0;
        for (; k + 1 < n; k += 2) {
            s0 += a[aOff + k] * b[bOff + k];
            s1 += a[aOff + k + 1] * b[bOff + k + 1];
        }
        if (k < n) {
            s0 += a[aOff + k] * b[bOff + k];
        }
        return s0 + s1;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int k = 0; k < n; k++) {
            y[yOff + k] += alpha * x[xOff + k];
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
