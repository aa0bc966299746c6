package dev.rnn4j.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.OnnxSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs test folders laid out like the ONNX backend node tests: {@code model.onnx} and
 * {@code test_data_set_K/input_J.pb}, {@code output_J.pb} (serialized TensorProtos whose names are the
 * graph's input and output names). An output passes when shape and type match and every value satisfies
 * {@code |actual - expected| <= atol + rtol * |expected|} (ONNX's own rule: rtol 1e-3, atol 1e-7).
 */
public final class NodeTestRunner {
    public static final double ONNX_RTOL = 1e-3;
    public static final double ONNX_ATOL = 1e-7;

    /** PASS, FAIL or SKIP (the engine says it does not support the model: UnsupportedOperationException). */
    public enum Status { PASS, FAIL, SKIP }

    /**
     * @param name      the folder name
     * @param status    the verdict
     * @param maxAbsErr the largest absolute error over all outputs and data sets (NaN when not run)
     * @param detail    why it failed or was skipped; empty for a pass
     */
    public record Result(String name, Status status, double maxAbsErr, String detail) {
        /** {@code PASS|FAIL|SKIP name max_abs_err [detail]}. */
        public String line() {
            return status + " " + name + " " + (Double.isNaN(maxAbsErr) ? "-" : String.format("%.3g", maxAbsErr))
                    + (detail.isEmpty() ? "" : "  " + detail);
        }
    }

    private final Backend backend;
    private final double atol;
    private final double rtol;

    public NodeTestRunner(Backend backend, double atol, double rtol) {
        this.backend = backend;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Runs every data set of one test folder. Never throws for a bad model: that is a FAIL (or SKIP). */
    public Result run(Path dir) {
        String name = dir.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve("model.onnx"));
            OnnxModels.parse(bytes, dir.resolve("model.onnx").toString());
        } catch (IOException | IllegalArgumentException e) {
            return new Result(name, Status.FAIL, Double.NaN, "cannot read model: " + e.getMessage());
        }
        double worst = 0;
        List<String> problems = new ArrayList<>();
        try (OnnxSession session = backend.openOnnx(bytes); Stream<Path> sets = Files.list(dir)) {
            List<Path> dataSets = sets.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            if (dataSets.isEmpty()) {
                return new Result(name, Status.FAIL, Double.NaN, "no test_data_set_* folder");
            }
            for (Path set : dataSets) {
                Map<String, OnnxValue> inputs = new LinkedHashMap<>();
                for (TensorProto t : read(set, "input_")) {
                    inputs.put(t.getName(), OnnxValue.fromProto(t));
                }
                Map<String, OnnxValue> actual = session.run(inputs);
                List<TensorProto> outputs = read(set, "output_");
                if (outputs.isEmpty()) {
                    problems.add(set.getFileName() + " has no output_*.pb: nothing to compare with");
                }
                for (TensorProto t : outputs) {
                    OnnxValue expected = OnnxValue.fromProto(t);
                    OnnxValue got = actual.get(t.getName());
                    if (got == null) {
                        problems.add("no output '" + t.getName() + "'");
                        continue;
                    }
                    if (!Arrays.equals(expected.shape(), got.shape()) || expected.type() != got.type()) {
                        problems.add(t.getName() + ": expected " + expected.type() + Arrays.toString(expected.shape())
                                + ", got " + got.type() + Arrays.toString(got.shape()));
                        continue;
                    }
                    for (int i = 0; i < expected.size(); i++) {
                        double e = expected.get(i);
                        double err = Math.abs(got.get(i) - e);
                        worst = Math.max(worst, err);
                        if (!(err <= atol + rtol * Math.abs(e))) {
                            problems.add(t.getName() + "[" + i + "]: expected " + e + ", got " + got.get(i));
                            break;
                        }
                    }
                }
            }
        } catch (UnsupportedOperationException e) {
            return new Result(name, Status.SKIP, Double.NaN, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Result(name, Status.FAIL, Double.NaN, e.getMessage());
        }
        return new Result(name, problems.isEmpty() ? Status.PASS : Status.FAIL, worst, String.join("; ", problems));
    }

    private static List<TensorProto> read(Path set, String prefix) throws IOException {
        List<TensorProto> list = new ArrayList<>();
        for (int j = 0; ; j++) {
            Path f = set.resolve(prefix + j + ".pb");
            if (!Files.exists(f)) {
                return list;
            }
            try {
                list.add(TensorProto.parseFrom(Files.readAllBytes(f)));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalArgumentException(f + " is not a serialized TensorProto: " + e.getMessage(), e);
            }
        }
    }
}
