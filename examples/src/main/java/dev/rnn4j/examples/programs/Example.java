package dev.rnn4j.examples.programs;

import dev.rnn4j.runs.report.Report;
import java.io.IOException;

/** One example program. */
public interface Example {

    /** The name on the command line, e.g. {@code remember-first}. */
    String name();

    /** A one-line summary for the tour's index. */
    String summary();

    /** Runs it, writing into {@code ctx.out()}; returns the report. */
    Report run(ExampleContext ctx) throws IOException;
}
