package dev.rnn4j.cli;

import dev.rnn4j.examples.programs.Example;
import dev.rnn4j.examples.programs.ExampleContext;
import dev.rnn4j.examples.programs.Examples;
import dev.rnn4j.runs.report.Report;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnn4j example NAME}: runs one example program. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run one example program; it writes report.md, PNG figures and metrics.json.")
final class ExampleCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Names.class,
            description = "An example: ${COMPLETION-CANDIDATES} (lstm-odyssey with rnn4j-spark).")
    String name;

    @Option(names = "--full", description = "The full setting that reproduces the reference numbers (slow).")
    boolean full;

    @Option(names = "--out", description = "Output folder (default: out/NAME).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Example example = Examples.get(name);
        Backend backend = backendOption.start(EnumSet.of(Capability.TRAINING));
        Path dir = out != null ? out : Path.of("out", example.name());
        Report r = example.run(new ExampleContext(backend, dir, full, seed));
        System.out.println(r.title() + ": report in " + dir.resolve("report.md"));
        return 0;
    }

    /** The examples' names, from their registry (those on the class path, in tour order). */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Examples.names().iterator();
        }
    }
}
