package dev.rnn4j.nativeengine.interpreter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.rnn4j.onnx.OnnxValue;
import dev.rnn4j.spi.OnnxSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs an ONNX graph in pure Java. Construction checks every node (operator, domain, recurrent
 * attributes), so an unsupported file fails before it runs, with a message naming the operator or
 * attribute and the node. Nodes run in file order (ONNX requires topological order).
 */
public final class OnnxInterpreter implements OnnxSession {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, OnnxValue> initializers = new HashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    /** Graph inputs with an initializer of the same name: fed values replace it, as ONNX specifies. */
    private final List<ValueInfoProto> optionalInputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final int opset;

    /**
     * @throws IllegalArgumentException naming the first unsupported operator, domain or attribute
     */
    public OnnxInterpreter(ModelProto model) {
        opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToInt(o -> (int) o.getVersion()).max().orElse(13);
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (!o.getDomain().isEmpty() && !o.getDomain().equals("ai.onnx")) {
                throw new IllegalArgumentException("Unsupported ONNX operator domain '" + o.getDomain() + "'");
            }
        }
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), OnnxValue.fromProto(t));
        }
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            (initializers.containsKey(v.getName()) ? optionalInputs : inputs).add(v);
        }
        model.getGraph().getOutputList().forEach(o -> outputs.add(o.getName()));
        for (NodeProto p : model.getGraph().getNodeList()) {
            Node node = new Node(p);
            if (!p.getDomain().isEmpty() && !p.getDomain().equals("ai.onnx")) {
                throw node.error("unsupported operator domain '" + p.getDomain() + "'");
            }
            if (RecurrentOps.SUPPORTED.contains(node.op())) {
                RecurrentOps.validate(node);
            } else if (!TensorOps.OPERATORS.containsKey(node.op())) {
                TreeSet<String> all = new TreeSet<>(TensorOps.OPERATORS.keySet());
                all.addAll(RecurrentOps.SUPPORTED);
                throw node.error("unsupported operator '" + node.op() + "'; supported: " + String.join(", ", all));
            } else {
                TensorOps.validate(node);
            }
            nodes.add(node);
        }
    }

    /** Names of the graph inputs that must be fed (initializers excluded). */
    public List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::getName).toList();
    }

    @Override
    public Map<String, OnnxValue> run(Map<String, OnnxValue> feeds) {
        Map<String, OnnxValue> env = new HashMap<>(initializers);
        for (ValueInfoProto v : inputs) {
            OnnxValue value = feeds.get(v.getName());
            if (value == null) {
                throw new IllegalArgumentException("Missing ONNX graph input '" + v.getName() + "'; expected: " + inputNames());
            }
            checkShape(v, value);
            env.put(v.getName(), value);
        }
        for (ValueInfoProto v : optionalInputs) {
            OnnxValue value = feeds.get(v.getName());
            if (value != null) {
                checkShape(v, value);
                env.put(v.getName(), value);
            }
        }
        for (Node node : nodes) {
            List<OnnxValue> args = new ArrayList<>();
            for (String name : node.inputs()) {
                if (name.isEmpty()) {
                    args.add(null);
                } else if (!env.containsKey(name)) {
                    throw node.error("input '" + name + "' is not produced by any earlier node");
                } else {
                    args.add(env.get(name));
                }
            }
            List<OnnxValue> results = run(node, args);
            for (int k = 0; k < node.outputs().size() && k < results.size(); k++) {
                if (!node.outputs().get(k).isEmpty()) {
                    env.put(node.outputs().get(k), results.get(k));
                }
            }
        }
        Map<String, OnnxValue> out = new LinkedHashMap<>();
        for (String name : outputs) {
            out.put(name, env.get(name));
        }
        return out;
    }

    /**
     * One node. Inputs that the checks before it did not foresee (a wrong rank, a missing optional input, an empty
     * tensor where a value is needed) end as an {@link IllegalArgumentException} naming the node, never as an
     * exception from inside the arithmetic.
     */
    private List<OnnxValue> run(Node node, List<OnnxValue> args) {
        if (args.isEmpty() && !node.op().equals("Constant")) {
            throw node.error("has no inputs");
        }
        try {
            return RecurrentOps.SUPPORTED.contains(node.op()) ? RecurrentOps.apply(node, args)
                    : List.of(TensorOps.apply(node, args, opset));
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // an operator's own check names the node already; one from the JDK (a NumberFormatException, say) does not
            throw e.getMessage() != null && e.getMessage().startsWith(Node.PREFIX) ? e
                    : node.error(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (NullPointerException | IndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException
                 | ClassCastException e) {
            throw node.error("its inputs do not fit it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static void checkShape(ValueInfoProto info, OnnxValue value) {
        if (!info.getType().hasTensorType() || !info.getType().getTensorType().hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = info.getType().getTensorType().getShape().getDimList();
        boolean ok = dims.size() == value.rank();
        for (int d = 0; ok && d < dims.size(); d++) {
            if (dims.get(d).hasDimValue() && dims.get(d).getDimValue() != value.shape()[d]) {
                ok = false;
            }
        }
        if (!ok) {
            String expected = dims.stream().map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue())
                    : d.getDimParam().isEmpty() ? "?" : d.getDimParam()).toList().toString();
            throw new IllegalArgumentException("ONNX graph input '" + info.getName() + "': expected shape " + expected
                    + ", got " + Arrays.toString(value.shape()));
        }
    }
}
