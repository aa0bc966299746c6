package dev.rnn4j.cli;

/**
 * A subcommand another module adds to {@code rnn4j} when it is on the class path, found through
 * {@link java.util.ServiceLoader} (e.g. {@code sweep} from {@code rnn4j-spark}, so the command line itself never pulls
 * Spark). The command is a picocli {@code @Command} object; its name comes from the annotation.
 */
public interface CommandPlugin {

    /** A new instance of the picocli command. */
    Object command();
}
