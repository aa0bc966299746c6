package dev.rnn4j.params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of named tensors in the canonical layout (see the package documentation).
 * Iteration order is the layout order of {@link ParameterLayout}.
 */
public final class Parameters implements Iterable<Tensor> {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    public Parameters() {
    }

    public Parameters(Collection<Tensor> tensors) {
        for (Tensor t : tensors) {
            put(t);
        }
    }

    /** Adds or replaces a tensor. */
    public Parameters put(Tensor t) {
        tensors.put(t.name(), t);
        return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing tensor and the ones present
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("No parameter '" + name + "'; present: " + tensors.keySet());
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
    }

    public int count() {
        return tensors.size();
    }

    /** Total number of scalar parameters. */
    public long scalarCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    /** A deep copy. */
    public Parameters copy() {
        Parameters p = new Parameters();
        for (Tensor t : tensors.values()) {
            p.put(t.copy());
        }
        return p;
    }

    /** Zero tensors with the same names and shapes (e.g. gradients). */
    public Parameters zerosLike() {
        Parameters p = new Parameters();
        for (Tensor t : tensors.values()) {
            p.put(Tensor.zeros(t.name(), t.shape()));
        }
        return p;
    }

    /** Sets every value to zero, in place (gradients before a backward pass). */
    public void zero() {
        for (Tensor t : tensors.values()) {
            Arrays.fill(t.data(), 0f);
        }
    }

    /** Largest absolute element-wise difference to {@code other}, over all tensors. */
    public double maxAbsDiff(Parameters other) {
        double max = 0;
        for (Tensor t : tensors.values()) {
            float[] a = t.data();
            float[] b = other.get(t.name()).data();
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
        }
        return max;
    }

    @Override
    public Iterator<Tensor> iterator() {
        return Collections.unmodifiableCollection(tensors.values()).iterator();
    }

    @Override
    public String toString() {
        return tensors.values().toString();
    }
}
