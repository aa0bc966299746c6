package dev.rnn4j.cli;

import dev.rnn4j.examples.programs.Example;
import dev.rnn4j.examples.programs.ExampleContext;
import dev.rnn4j.examples.programs.Examples;
import dev.rnn4j.runs.report.Report;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rnn4j tour}: runs every example in its small setting and writes an index of the reports. */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = "Run every example program (small settings) and write out/tour/index.md.")
final class TourCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--out", defaultValue = "out", description = "Parent folder of the reports (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--full", description = "Full settings (slow).")
    boolean full;

    @Override
    public Integer call() throws Exception {
        Backend backend = backendOption.start(EnumSet.of(Capability.TRAINING));
        StringBuilder index = new StringBuilder("# rnn4j tour\n\nBackend `" + backend.name() + "`, "
                + (full ? "full" : "small") + " settings.\n\n| example | what it shows | seconds |\n|---|---|---|\n");
        for (Example e : Examples.all()) {
            long t0 = System.nanoTime();
            Path dir = out.resolve(e.name());
            Report r = e.run(new ExampleContext(backend, dir, full, 1));
            double s = (System.nanoTime() - t0) / 1e9;
            index.append(String.format(Locale.ROOT, "| [%s](../%s/report.md) | %s | %.0f |%n", r.title(), e.name(),
                    e.summary(), s));
            System.out.printf(Locale.ROOT, "%s: %.0f s, report in %s%n", e.name(), s, dir.resolve("report.md"));
        }
        Path indexFile = out.resolve("tour").resolve("index.md");
        AtomicFiles.writeString(indexFile, index.toString());
        System.out.println("tour index: " + indexFile);
        return 0;
    }
}
