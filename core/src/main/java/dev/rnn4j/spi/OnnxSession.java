package dev.rnn4j.spi;

import dev.rnn4j.onnx.OnnxValue;
import java.util.Map;

/**
 * An ONNX graph loaded into an engine, run by the graph's own input and output names: a model someone
 * else exported runs without an rnn4j spec.
 */
public interface OnnxSession extends AutoCloseable {

    /**
     * Runs the graph.
     *
     * @param inputs by graph input name
     * @return every graph output by name, in graph order
     * @throws IllegalArgumentException if an input is missing or has the wrong shape or type
     */
    Map<String, OnnxValue> run(Map<String, OnnxValue> inputs);

    @Override
    default void close() {
    }
}
