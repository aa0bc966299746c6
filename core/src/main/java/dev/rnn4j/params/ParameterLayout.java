package dev.rnn4j.params;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names and shapes of every parameter of a spec, in canonical (ONNX) layout and order. A recurrent layer's
 * {@code W [G*H, I]}, {@code R [G*H, H]}, {@code B [2*G*H]} (and the peephole LSTM's {@code P [3H]}) carry ONNX's
 * leading direction axis when the spec is bidirectional: {@code W [2, G*H, I]} and so on, forward first.
 */
public final class ParameterLayout {

    /** One entry: a parameter's name and shape. */
    public record Entry(String name, int[] shape) {
        /** The number of elements, as a long (it may not fit an int, or an array). */
        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private ParameterLayout() {
    }

    public static String w(int layer) {
        return "layers." + layer + ".W";
    }

    public static String r(int layer) {
        return "layers." + layer + ".R";
    }

    public static String b(int layer) {
        return "layers." + layer + ".B";
    }

    public static String p(int layer) {
        return "layers." + layer + ".P";
    }

    public static final String HEAD_W = "head.W";
    public static final String HEAD_B = "head.b";

    /** The layout for {@code spec}. */
    public static List<Entry> of(ModelSpec spec) {
        List<Entry> entries = new ArrayList<>();
        int h = spec.hiddenSize();
        for (int l = 0; l < spec.numLayers(); l++) {
            int in = spec.layerInputSize(l);
            if (spec.cell() == CellType.MLP) {
                entries.add(new Entry(w(l), new int[] {h, in}));
                entries.add(new Entry(b(l), new int[] {h}));
                continue;
            }
            int gh = spec.gates() * h;
            entries.add(new Entry(w(l), directed(spec, gh, in)));
            entries.add(new Entry(r(l), directed(spec, gh, h)));
            entries.add(new Entry(b(l), directed(spec, 2 * gh)));
            if (spec.cell().hasPeepholes()) {
                entries.add(new Entry(p(l), directed(spec, 3 * h)));
            }
        }
        entries.add(new Entry(HEAD_W, new int[] {spec.outputSize(), spec.layerOutputSize()}));
        entries.add(new Entry(HEAD_B, new int[] {spec.outputSize()}));
        return entries;
    }

    /**
     * How many numbers the spec's parameters hold, counted without allocating them (a long: a spec too large to
     * train must still be measured, to be refused with its size).
     */
    public static long scalarCount(ModelSpec spec) {
        return of(spec).stream().mapToLong(Entry::elements).sum();
    }

    /** {@code dims}, with ONNX's leading direction axis {@code [2, ...]} when the spec is bidirectional. */
    private static int[] directed(ModelSpec spec, int... dims) {
        if (spec.directions() == 1) {
            return dims;
        }
        int[] shape = new int[dims.length + 1];
        shape[0] = spec.directions();
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return shape;
    }

    /**
     * Checks that {@code params} has exactly the tensors the spec needs, with the right shapes.
     *
     * @throws IllegalArgumentException naming the first mismatch
     */
    public static void validate(ModelSpec spec, Parameters params) {
        List<Entry> entries = of(spec);
        for (Entry e : entries) {
            if (!params.contains(e.name())) {
                throw new IllegalArgumentException("Parameters do not match the spec: missing '" + e.name()
                        + "' " + Arrays.toString(e.shape()) + " for " + spec.cell());
            }
            int[] got = params.get(e.name()).shape();
            if (!Arrays.equals(got, e.shape())) {
                throw new IllegalArgumentException("Parameters do not match the spec: '" + e.name() + "' has shape "
                        + Arrays.toString(got) + ", expected " + Arrays.toString(e.shape()));
            }
        }
        if (params.count() != entries.size()) {
            List<String> extra = new ArrayList<>(params.names());
            entries.forEach(e -> extra.remove(e.name()));
            throw new IllegalArgumentException("Parameters do not match the spec: unexpected " + extra);
        }
        for (Tensor t : params) {
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Parameter '" + t.name() + "' contains " + v);
                }
            }
        }
    }
}
