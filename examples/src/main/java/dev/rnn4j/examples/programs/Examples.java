package dev.rnn4j.examples.programs;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The example programs by name, in tour order: this module's, then those other modules add through
 * {@link ServiceLoader} when they are on the class path (e.g. {@code lstm-odyssey} from {@code rnn4j-spark}).
 */
public final class Examples {
    private static final List<Example> ALL = all(List.of(new FunctionShapesExample(), new SineInverseExample(),
            new RememberFirstExample(), new VanishingGradientsExample(), new CharLmExample(), new CellZooExample(),
            new GatesExample(), new ForecastExample(), new M4HourlyExample()));

    private static List<Example> all(List<Example> own) {
        List<Example> all = new ArrayList<>(own);
        ServiceLoader.load(Example.class).forEach(all::add);
        return List.copyOf(all);
    }

    private Examples() {
    }

    public static List<Example> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Example::name).collect(Collectors.toList());
    }

    /**
     * @throws IllegalArgumentException listing the known examples
     */
    public static Example get(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Unknown example '" + name + "'. Known: " + String.join(", ", names())));
    }
}
