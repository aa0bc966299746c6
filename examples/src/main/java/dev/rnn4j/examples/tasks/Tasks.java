package dev.rnn4j.examples.tasks;

import java.util.List;
import java.util.stream.Collectors;

/** The tasks the command line knows, by name. */
public final class Tasks {
    private static final List<TaskDefinition> ALL = List.of(new FunctionShapesTask(), new SineInverseTask(),
            new RememberFirstTask(), new CharTextTask(), new AddingTask(), new TemporalOrderTask());

    private Tasks() {
    }

    public static List<String> names() {
        return ALL.stream().map(TaskDefinition::name).collect(Collectors.toList());
    }

    /**
     * @throws IllegalArgumentException listing the known tasks
     */
    public static TaskDefinition get(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Unknown task '" + name + "'. Known tasks: " + String.join(", ", names())));
    }
}
