package dev.rnn4j.nativeengine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@code jdk.incubator.vector} kernels with fused multiply-add; loaded only when the module is present. */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
        int k = 0;
        int upper = S.loopBound(n);
        if (upper > 0) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (; k < upper; k += S.length()) {
                FloatVector.fromArray(S, x, xOff + k).fma(va, FloatVector.fromArray(S, y, yOff + k))
                        .intoArray(y, yOff + k);
            }
        }
        for (; k < n; k++) {
            y[yOff + k] += alpha * x[xOff + k];
        }
    }

    @Override
    public String name() {
        return "vector";
    }
}
