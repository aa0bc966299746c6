package dev.rnn4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Test-only command (registered in the tests' {@code META-INF/services}): asks for an array no JVM can give. */
@Command(name = "test-out-of-memory", hidden = true)
public final class OutOfMemoryCommand implements Callable<Integer> {

    /** Adds the command to the tests' command line. */
    public static final class Plugin implements CommandPlugin {
        @Override
        public Object command() {
            return new OutOfMemoryCommand();
        }
    }

    @Override
    public Integer call() {
        float[] tooLarge = new float[Integer.MAX_VALUE]; // "Requested array size exceeds VM limit", whatever the heap
        return tooLarge.length;
    }
}
