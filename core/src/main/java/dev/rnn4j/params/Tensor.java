package dev.rnn4j.params;

import java.util.Arrays;

/**
 * A named dense float tensor in row-major order. The data array is shared, not copied: engines that
 * train in place update it directly.
 */
public final class Tensor {
    private final String name;
    private final int[] shape;
    private final float[] data;

    /**
     * @throws IllegalArgumentException if the data length does not match the shape
     */
    public Tensor(String name, int[] shape, float[] data) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " needs " + n + " values, got " + data.length);
        }
        this.name = name;
        this.shape = shape.clone();
        this.data = data;
    }

    /** The {@code n x n} identity matrix (e.g. the head of an imported encoder, which passes its states through). */
    public static Tensor identity(String name, int n) {
        Tensor t = zeros(name, n, n);
        for (int i = 0; i < n; i++) {
            t.data[i * n + i] = 1f;
        }
        return t;
    }

    /** A zero tensor of the given shape. */
    public static Tensor zeros(String name, int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Tensor(name, shape, new float[Math.toIntExact(n)]);
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The live data array. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(name, shape, data.clone());
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
