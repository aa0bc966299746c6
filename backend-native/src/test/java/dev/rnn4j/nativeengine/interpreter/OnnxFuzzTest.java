package dev.rnn4j.nativeengine.interpreter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.rnn4j.spi.OnnxSession;
import dev.rnn4j.nativeengine.NativeBackend;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import dev.rnn4j.onnx.export.OnnxExporter;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.testing.RecurrentCases;
import dev.rnn4j.testing.RepoData;
import dev.rnn4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid ONNX models (the exports of every cell variant, the single-node recurrent cases including
 * bidirectional and batch-first ones, and the ONNX node tests in {@code data/onnx-node-rnn}) and runs each mutant on
 * the native interpreter. Every case must end in a result or in an {@link IllegalArgumentException} or
 * {@link UnsupportedOperationException} with a message; nothing else may escape (no NullPointerException,
 * IndexOutOfBoundsException, OutOfMemoryError, StackOverflowError), and no case may take over 10 s.
 *
 * <p>Mutations: bit flips and truncation of the bytes; an initializer's element type, dims or data; a node's inputs
 * dropped or duplicated; an attribute's value changed, an unknown attribute added; the operator replaced by another
 * one; the opset lowered to 9 (old-style Slice and friends); a feed of the wrong type or shape. Seeded (2,000 cases
 * by default); {@code -Drnn4j.fuzz.cases=20000} runs more.
 */
class OnnxFuzzTest {
    private static final int DEFAULT_CASES = 2_000;
    private static final String[] OPS = {"MatMul", "Gemm", "Slice", "Gather", "Add", "Concat", "Reshape", "Expand",
        "Squeeze", "Unsqueeze", "Transpose", "Softmax", "Range", "ConstantOfShape", "Cast", "LSTM", "GRU", "RNN"};

    private record Seed(String name, ModelProto model, Map<String, OnnxValue> feeds) {
    }

    private static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (ModelSpec spec : TestData.cellVariants()) {
            ModelProto model = OnnxExporter.export(spec, Initializer.initialize(spec, 1));
            var batch = TestData.batch(spec, 3, 4, 2);
            long[] lengths = new long[batch.size()];
            for (int n = 0; n < lengths.length; n++) {
                lengths[n] = batch.lengths()[n];
            }
            Map<String, OnnxValue> feeds = new LinkedHashMap<>();
            feeds.put(OnnxExporter.INPUT, OnnxValue.floats(new long[] {batch.size(), batch.steps(), batch.inputSize()},
                    batch.inputs()));
            feeds.put(OnnxExporter.LENGTHS, OnnxValue.longs(OnnxValue.Type.INT32, new long[] {batch.size()}, lengths));
            seeds.add(new Seed("export " + TestData.label(spec), model, feeds));
        }
        for (RecurrentCases.Case c : RecurrentCases.all(true)) {
            seeds.add(new Seed(c.name(), c.model(), c.inputs()));
        }
        try (Stream<Path> dirs = Files.list(RepoData.path("onnx-node-rnn"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
                Map<String, OnnxValue> feeds = new TreeMap<>();
                try (Stream<Path> files = Files.list(dir.resolve("test_data_set_0"))) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("input_")).toList()) {
                        TensorProto t = TensorProto.parseFrom(Files.readAllBytes(f));
                        feeds.put(t.getName(), OnnxValue.fromProto(t));
                    }
                }
                seeds.add(new Seed(dir.getFileName().toString(), model, feeds));
            }
        }
        return seeds;
    }

    @Test
    void mutatedModelsFailCleanlyOrRun() throws IOException {
        int cases = Integer.getInteger("rnn4j.fuzz.cases", DEFAULT_CASES);
        List<Seed> seeds = seeds();
        NativeBackend backend = NativeBackend.create(new Gemm(Kernels.best(), false));
        SplittableRandom rng = new SplittableRandom(20261201);
        int ran = 0;
        int refused = 0;
        int caughtLate = 0;
        for (int k = 0; k < cases; k++) {
            Seed seed = seeds.get(rng.nextInt(seeds.size()));
            long caseSeed = rng.nextLong();
            Mutant m = mutate(seed, new SplittableRandom(caseSeed));
            String what = "case " + k + " (" + seed.name() + ", " + m.how() + ", seed " + caseSeed + ")";
            Outcome outcome = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                OnnxSession session;
                try {
                    session = backend.openOnnx(m.bytes());
                } catch (Throwable t) {
                    return new Outcome("loading", t);
                }
                try (session) {
                    session.run(m.feeds());
                    return new Outcome("running", null);
                } catch (Throwable t) {
                    return new Outcome("running", t);
                }
            }, what + " took over 10 s");
            Throwable thrown = outcome.thrown();
            if (thrown == null) {
                ran++;
            } else if (thrown instanceof IllegalArgumentException || thrown instanceof UnsupportedOperationException) {
                assertTrue(thrown.getMessage() != null && !thrown.getMessage().isBlank(), what + ": no message");
                if (thrownByTheJdk(thrown) && !namesTheModel(thrown.getMessage(), seed)) {
                    fail(what + ", " + outcome.phase() + ": the JDK's " + thrown + " escaped without naming the node or "
                            + "input", thrown);
                }
                refused++;
                if (thrown.getMessage().contains("do not fit it")) {
                    caughtLate++; // the interpreter's safety net, not an operator's own check
                    if (Boolean.getBoolean("rnn4j.fuzz.verbose")) {
                        System.out.println("safety net, " + outcome.phase() + ": " + thrown.getMessage());
                    }
                }
            } else {
                fail(what + ", " + outcome.phase() + ", threw " + thrown, thrown);
            }
        }
        System.out.printf("ONNX fuzz: %d cases, %d ran, %d refused with a message (%d of them by the safety net)%n",
                cases, ran, refused, caughtLate);
        org.junit.jupiter.api.Assertions.assertEquals(0, caughtLate, "refusals that no operator check made (run with "
                + "-Drnn4j.fuzz.verbose=true to list them)");
        // a mutator that breaks every model would pass the checks above without exercising the operators
        assertTrue(ran >= cases / 10, "only " + ran + " of " + cases + " mutants ran; at least 10% should");
    }

    /**
     * The importer as a second target: mutants of the PyTorch exports in {@code data/pytorch} (opsets 9 and 17) either
     * import, and then the import's own check runs and gives a number, or are refused with a message; nothing else
     * escapes. 2,000 cases by default ({@code -Drnn4j.fuzz.cases}).
     */
    @Test
    void mutatedExportsImportOrAreRefusedWithAMessage() throws IOException {
        int cases = Integer.getInteger("rnn4j.fuzz.cases", DEFAULT_CASES);
        List<Seed> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(RepoData.path("pytorch"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
                ModelProto model = ModelProto.parseFrom(Files.readAllBytes(f));
                long inputs = model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(2).getDimValue();
                Map<String, OnnxValue> feeds = new LinkedHashMap<>(); // what the feed mutations change (the import
                feeds.put("x", OnnxValue.floats(new long[] {2, 5, inputs}, new float[(int) (10 * inputs)])); // ignores it)
                seeds.add(new Seed(f.getFileName().toString(), model, feeds));
            }
        }
        assertTrue(seeds.size() >= 10, "the PyTorch exports: " + seeds.size());
        SplittableRandom rng = new SplittableRandom(20261206);
        int imported = 0;
        int refused = 0;
        for (int k = 0; k < cases; k++) {
            Seed seed = seeds.get(rng.nextInt(seeds.size()));
            long caseSeed = rng.nextLong();
            Mutant m = mutate(seed, new SplittableRandom(caseSeed));
            String what = "case " + k + " (" + seed.name() + ", " + m.how() + ", seed " + caseSeed + ")";
            Throwable thrown = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    dev.rnn4j.onnx.OnnxImporter.Imported i = dev.rnn4j.onnx.OnnxImporter.read(
                            dev.rnn4j.onnx.OnnxModels.parse(m.bytes(), seed.name()), dev.rnn4j.spec.HeadKind.REGRESSION);
                    double difference = dev.rnn4j.onnx.OnnxImporter.check(m.bytes(), i, 1);
                    return Double.isNaN(difference) ? new AssertionError("a NaN difference") : null;
                } catch (Throwable t) {
                    return t;
                }
            }, what + " took over 10 s");
            if (thrown == null) {
                imported++;
            } else if (thrown instanceof IllegalArgumentException || thrown instanceof UnsupportedOperationException) {
                assertTrue(thrown.getMessage() != null && !thrown.getMessage().isBlank(), what + ": no message");
                refused++;
            } else {
                fail(what + " threw " + thrown, thrown);
            }
        }
        System.out.printf("ONNX import fuzz: %d cases, %d imported and checked, %d refused with a message%n", cases,
                imported, refused);
        assertTrue(imported >= cases / 10, "only " + imported + " of " + cases + " mutants imported; at least 10% should");
    }

    /** Where a case ended: {@code thrown} is null when the mutant loaded and ran. */
    private record Outcome(String phase, Throwable thrown) {
    }

    /** Whether the JDK itself threw this (its first stack frame is in {@code java.*}, {@code jdk.*} or {@code sun.*}). */
    private static boolean thrownByTheJdk(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length == 0) {
            return false;
        }
        String where = trace[0].getClassName();
        return where.startsWith("java.") || where.startsWith("jdk.") || where.startsWith("sun.");
    }

    /** Whether {@code message} names one of the seed model's nodes (by name or operator) or inputs. */
    private static boolean namesTheModel(String message, Seed seed) {
        GraphProto g = seed.model().getGraph();
        return g.getNodeList().stream().anyMatch(n -> !n.getName().isEmpty() && message.contains(n.getName())
                        || message.contains("(" + n.getOpType() + ")"))
                || g.getInputList().stream().anyMatch(i -> message.contains("'" + i.getName() + "'"));
    }

    private record Mutant(String how, byte[] bytes, Map<String, OnnxValue> feeds) {
    }

    private static Mutant mutate(Seed seed, SplittableRandom rng) {
        ModelProto model = seed.model();
        Map<String, OnnxValue> feeds = new LinkedHashMap<>(seed.feeds());
        GraphProto graph = model.getGraph();
        int kind = rng.nextInt(10);
        switch (kind) {
            case 0 -> {
                byte[] bytes = model.toByteArray();
                int flips = 1 + rng.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int at = rng.nextInt(bytes.length);
                    bytes[at] ^= (byte) (1 << rng.nextInt(8));
                }
                return new Mutant(flips + " bit flips", bytes, feeds);
            }
            case 1 -> {
                byte[] bytes = model.toByteArray();
                int keep = rng.nextInt(bytes.length);
                return new Mutant("truncated to " + keep + " bytes", java.util.Arrays.copyOf(bytes, keep), feeds);
            }
            case 2 -> {
                if (graph.getInitializerCount() == 0) {
                    return mutate(seed, rng);
                }
                int i = rng.nextInt(graph.getInitializerCount());
                TensorProto t = graph.getInitializer(i);
                TensorProto.Builder b = t.toBuilder();
                String how;
                switch (rng.nextInt(3)) {
                    case 0 -> {
                        int type = new int[] {6, 7, 9, 10, 11, 0, 99}[rng.nextInt(7)];
                        b.setDataType(type);
                        how = "initializer " + t.getName() + " type " + type;
                    }
                    case 1 -> {
                        if (b.getDimsCount() == 0) {
                            b.addDims(2);
                        } else {
                            b.setDims(rng.nextInt(b.getDimsCount()), new long[] {0, -1, 3, 1L << 30, 1L << 40}[rng.nextInt(5)]);
                        }
                        how = "initializer " + t.getName() + " dims " + b.getDimsList();
                    }
                    default -> {
                        b.clearFloatData().setRawData(ByteString.copyFrom(new byte[rng.nextInt(9)]));
                        how = "initializer " + t.getName() + " data cut";
                    }
                }
                return new Mutant(how, graph(model, graph.toBuilder().setInitializer(i, b)), feeds);
            }
            case 3 -> {
                int n = rng.nextInt(graph.getNodeCount());
                NodeProto node = graph.getNode(n);
                NodeProto.Builder b = node.toBuilder();
                String how;
                if (node.getInputCount() > 0 && rng.nextBoolean()) {
                    List<String> inputs = new ArrayList<>(node.getInputList());
                    inputs.remove(rng.nextInt(inputs.size()));
                    b.clearInput().addAllInput(inputs);
                    how = "node " + n + " (" + node.getOpType() + ") lost an input";
                } else {
                    b.addInput(node.getInputCount() > 0 ? node.getInput(rng.nextInt(node.getInputCount())) : "X");
                    how = "node " + n + " (" + node.getOpType() + ") got an extra input";
                }
                return new Mutant(how, graph(model, graph.toBuilder().setNode(n, b)), feeds);
            }
            case 4 -> {
                int n = rng.nextInt(graph.getNodeCount());
                NodeProto node = graph.getNode(n);
                NodeProto.Builder b = node.toBuilder();
                String how;
                if (node.getAttributeCount() > 0 && rng.nextInt(3) > 0) {
                    int a = rng.nextInt(node.getAttributeCount());
                    AttributeProto.Builder attr = node.getAttribute(a).toBuilder();
                    long v = new long[] {-1, 0, 1, 2, 7, -100, 1L << 33}[rng.nextInt(7)];
                    attr.setI(v).clearInts().addInts(v).setF(v).clearFloats().addFloats(v)
                            .setS(ByteString.copyFromUtf8(rng.nextBoolean() ? "bogus" : "reverse"));
                    b.setAttribute(a, attr);
                    how = "node " + n + " (" + node.getOpType() + ") attribute " + attr.getName() + " = " + v;
                } else {
                    b.addAttribute(AttributeProto.newBuilder().setName(rng.nextBoolean() ? "linear_before_reset" : "colour")
                            .setType(AttributeProto.AttributeType.INT).setI(1));
                    how = "node " + n + " (" + node.getOpType() + ") got an unknown attribute";
                }
                return new Mutant(how, graph(model, graph.toBuilder().setNode(n, b)), feeds);
            }
            case 5 -> {
                int n = rng.nextInt(graph.getNodeCount());
                String op = OPS[rng.nextInt(OPS.length)];
                return new Mutant("node " + n + " (" + graph.getNode(n).getOpType() + ") became " + op,
                        graph(model, graph.toBuilder().setNode(n, graph.getNode(n).toBuilder().setOpType(op))), feeds);
            }
            case 6 -> {
                ModelProto.Builder b = model.toBuilder();
                for (int i = 0; i < b.getOpsetImportCount(); i++) {
                    b.setOpsetImport(i, b.getOpsetImport(i).toBuilder().setVersion(9));
                }
                return new Mutant("opset 9", b.build().toByteArray(), feeds);
            }
            case 7 -> {
                String name = new ArrayList<>(feeds.keySet()).get(rng.nextInt(feeds.size()));
                OnnxValue v = feeds.get(name);
                long[] values = new long[v.size()];
                feeds.put(name, OnnxValue.longs(OnnxValue.Type.INT64, v.shape(), values));
                return new Mutant("feed " + name + " as INT64", model.toByteArray(), feeds);
            }
            case 8 -> {
                String name = new ArrayList<>(feeds.keySet()).get(rng.nextInt(feeds.size()));
                OnnxValue v = feeds.get(name);
                long[] shape = v.shape().clone();
                if (shape.length > 0) {
                    shape[rng.nextInt(shape.length)] += rng.nextBoolean() ? 1 : -1;
                }
                long[] dims = java.util.Arrays.stream(shape).map(d -> Math.max(0, d)).toArray();
                int size = (int) java.util.Arrays.stream(dims).reduce(1, (x, y) -> x * y);
                feeds.put(name, v.type() == OnnxValue.Type.FLOAT ? OnnxValue.floats(dims, new float[size])
                        : OnnxValue.longs(v.type(), dims, new long[size]));
                return new Mutant("feed " + name + " shape " + java.util.Arrays.toString(dims), model.toByteArray(), feeds);
            }
            default -> {
                String name = new ArrayList<>(feeds.keySet()).get(rng.nextInt(feeds.size()));
                feeds.remove(name);
                return new Mutant("feed " + name + " missing", model.toByteArray(), feeds);
            }
        }
    }

    private static byte[] graph(ModelProto model, GraphProto.Builder graph) {
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }
}
