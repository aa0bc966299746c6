package dev.rnn4j.cli;

import dev.rnn4j.onnx.NodeTestRunner;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnn4j onnx-test}: runs folders laid out like the ONNX backend node tests and prints
 * {@code PASS|FAIL|SKIP name max_abs_err} per test. Exits 0 only if none failed.
 */
@Command(name = "onnx-test", mixinStandardHelpOptions = true,
        description = "Run ONNX node-test folders (model.onnx, test_data_set_K/input_J.pb, output_J.pb) on a backend.")
final class OnnxTestCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--atol", defaultValue = "1e-7", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    double atol;

    @Option(names = "--rtol", defaultValue = "1e-3", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    double rtol;

    @Parameters(arity = "1..*", paramLabel = "DIR",
            description = "Test folders, or folders of test folders.")
    List<Path> dirs;

    @Override
    public Integer call() throws IOException {
        Backend backend = backendOption.start(EnumSet.noneOf(Capability.class));
        NodeTestRunner runner = new NodeTestRunner(backend, atol, rtol);
        int failed = 0;
        int passed = 0;
        int skipped = 0;
        for (Path dir : expand(dirs)) {
            NodeTestRunner.Result r = runner.run(dir);
            System.out.println(r.line());
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case SKIP -> skipped++;
                default -> throw new IllegalStateException();
            }
        }
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped (" + backend.name() + ")");
        return failed == 0 ? 0 : 1;
    }

    /** A folder with model.onnx is a test; any other folder stands for its sub-folders that are tests. */
    private static List<Path> expand(List<Path> dirs) throws IOException {
        List<Path> tests = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("not a folder: " + d);
            }
            if (Files.exists(d.resolve("model.onnx"))) {
                tests.add(d);
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                List<Path> sub = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
                if (sub.isEmpty()) {
                    throw new IllegalArgumentException("no model.onnx in " + d + " or its sub-folders");
                }
                tests.addAll(sub);
            }
        }
        return tests;
    }
}
