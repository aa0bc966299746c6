package dev.rnn4j.examples.programs;

import java.util.List;
import java.util.stream.Collectors;

/** The example programs by name, in tour order. */
public final class Examples {
    private static final List<Example> ALL = List.of(new FunctionShapesExample(), new SineInverseExample(),
            new RememberFirstExample(), new VanishingGradientsExample(), new CharLmExample(), new CellZooExample(),
            new GatesExample(), new ForecastExample());

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
