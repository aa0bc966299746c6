package dev.rnn4j.nativeengine.interpreter;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.rnn4j.onnx.OnnxValue;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A graph node with typed attribute access; errors name the node. */
final class Node {
    private final NodeProto proto;

    Node(NodeProto proto) {
        this.proto = proto;
    }

    String op() {
        return proto.getOpType();
    }

    /** {@code 'name' (OpType)} for messages. */
    String describe() {
        String name = proto.getName().isEmpty() ? String.join(",", proto.getOutputList()) : proto.getName();
        return "node '" + name + "' (" + proto.getOpType() + ")";
    }

    List<String> inputs() {
        return proto.getInputList();
    }

    List<String> outputs() {
        return proto.getOutputList();
    }

    /** How every message of {@link #error} starts. */
    static final String PREFIX = "ONNX ";

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(PREFIX + describe() + ": " + message);
    }

    private Optional<AttributeProto> attr(String name) {
        return proto.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    boolean has(String name) {
        return attr(name).isPresent();
    }

    List<String> attributeNames() {
        return proto.getAttributeList().stream().map(AttributeProto::getName).collect(Collectors.toList());
    }

    long i(String name, long def) {
        return attr(name).map(AttributeProto::getI).orElse(def);
    }

    float f(String name, float def) {
        return attr(name).map(AttributeProto::getF).orElse(def);
    }

    String s(String name, String def) {
        return attr(name).map(a -> a.getS().toStringUtf8()).orElse(def);
    }

    long[] ints(String name) {
        return attr(name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(null);
    }

    float[] floats(String name) {
        return attr(name).map(a -> {
            float[] f = new float[a.getFloatsCount()];
            for (int k = 0; k < f.length; k++) {
                f[k] = a.getFloats(k);
            }
            return f;
        }).orElse(null);
    }

    List<String> strings(String name) {
        return attr(name).map(a -> a.getStringsList().stream().map(b -> b.toStringUtf8())
                .collect(Collectors.toList())).orElse(null);
    }

    OnnxValue tensor(String name) {
        return attr(name).filter(AttributeProto::hasT).map(a -> OnnxValue.fromProto(a.getT())).orElse(null);
    }
}
