package dev.rnn4j.cli;

import dev.rnn4j.config.BackendException;
import dev.rnn4j.train.NonFiniteException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.ServiceLoader;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code rnn4j} command line. Exit codes: 0 success, 2 bad usage or bad input (one line on stderr, before any
 * work), 3 training diverged (a NaN or infinite loss or gradient; the message names the step and the tensor), 1 any
 * other failure. Set {@code RNN4J_DEBUG=1} for stack traces.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, version = "rnn4j 0.1.0",
        description = "Recurrent neural networks on toy sequence tasks, on any backend.",
        subcommands = {TrainCommand.class, EvalCommand.class, ExportCommand.class, OnnxTestCommand.class, dev.rnn4j.cli.bench.BenchCommand.class, ExampleCommand.class, TourCommand.class, GenerateCommand.class, PredictCommand.class, BacktestCommand.class, ImportCommand.class})
public final class Main {

    /**
     * Shows the engines' start-up messages (DJL's engine and device probing); hidden by default. The launcher also
     * leaves libtorch's and TensorFlow's own stderr chatter on when it sees this flag.
     */
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show the engines' start-up messages (hidden by default).")
    void verbose(boolean on) {
        if (on) {
            System.setProperty(QUIET_LOGGER, "info");
        }
    }

    /** SimpleLogger's level for DJL, read when DJL's first logger is made (after the options are parsed). */
    private static final String QUIET_LOGGER = "org.slf4j.simpleLogger.log.ai.djl";

    /** Exit code of a run stopped by a NaN or infinite loss or gradient. */
    public static final int DIVERGED = 3;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** The command line with every subcommand, each task's own {@code train} flags and the plugins' commands. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        TrainCommand.addTaskOptions(cli.getSubcommands().get("train").getCommandSpec());
        TrainCommand.addTaskOptions(cli.getSubcommands().get("backtest").getCommandSpec());
        for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class)) {
            cli.addSubcommand(plugin.command());
        }
        return cli;
    }

    /** Runs the command line with errors going to {@code err}, and returns its exit code (for tests). */
    public static int run(PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = System.getenv("RNN4J_DEBUG") != null;
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            if (e instanceof NonFiniteException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return DIVERGED;
            }
            if (e instanceof IllegalArgumentException || e instanceof BackendException
                    || e instanceof NoSuchFileException) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + message(e));
                return CommandLine.ExitCode.USAGE;
            }
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + message(e));
            return CommandLine.ExitCode.SOFTWARE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // what filled the heap is unreachable now: one line, not a stack trace (and a sweep's trial becomes a row)
            err.println((args.length > 0 ? args[0] : "rnn4j") + ": out of memory (" + e.getMessage() + "; the JVM may "
                    + "use " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): make the model, --batch-size or "
                    + "the sequences smaller, or give the JVM more heap (-Xmx; for ./rnn4j, RNN4J_JAVA_OPTS=-Xmx...)");
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    private static String message(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
