package dev.rnn4j.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * An engine-independent description of a model: a stack of recurrent layers (or an MLP) and a dense head.
 *
 * <p>Shapes: input {@code [N, T, I]} (batch, time, {@link #inputSize()}), hidden {@code H =}
 * {@link #hiddenSize()}, output {@code [N, C]} for {@link OutputMode#LAST_STEP} or {@code [N, T, C]} for
 * {@link OutputMode#EVERY_STEP}, where {@code C =} {@link #outputSize()}.
 *
 * <p>Example:
 * <pre>{@code
 * ModelSpec spec = ModelSpec.builder()
 *     .setCell(CellType.LSTM).setInputSize(2).setHiddenSize(100)
 *     .setHead(HeadKind.CLASSIFICATION, 3).setOutputMode(OutputMode.EVERY_STEP)
 *     .build();
 * String json = spec.toJson();
 * }</pre>
 *
 * @param cell              the cell type
 * @param inputSize         features per time step, {@code I}
 * @param hiddenSize        units per layer, {@code H}
 * @param numLayers         stacked layers (MLP: hidden layers)
 * @param dropout           inverted dropout probability between stacked layers, in [0, 1)
 * @param head              regression or classification
 * @param outputSize        outputs of the head, {@code C}
 * @param outputMode        last valid step or every step
 * @param linearBeforeReset GRU only: ONNX {@code linear_before_reset}; true (1) is PyTorch's and cuDNN's GRU
 * @param window            MLP only: the fixed number of time steps it flattens; 0 for recurrent cells
 * @param bidirectional     each recurrent layer also reads the sequence backwards (its own parameters), and its
 *                          output is {@code [h_forward, h_reverse]}, {@code 2H} wide (ONNX {@code direction =
 *                          "bidirectional"}); the reverse direction of each sequence starts at its own last valid step
 */
public record ModelSpec(CellType cell, int inputSize, int hiddenSize, int numLayers, float dropout,
                        HeadKind head, int outputSize, OutputMode outputMode, boolean linearBeforeReset,
                        int window, boolean bidirectional) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** Validates every field; the message names the field, the value and what was expected. */
    public ModelSpec {
        require(cell != null, "cell must be set");
        require(head != null, "head must be set");
        require(outputMode != null, "outputMode must be set");
        require(inputSize > 0, "inputSize must be > 0, got " + inputSize);
        require(hiddenSize > 0, "hiddenSize must be > 0, got " + hiddenSize);
        require(numLayers > 0, "numLayers must be > 0, got " + numLayers);
        require(dropout >= 0f && dropout < 1f, "dropout must be in [0, 1), got " + dropout);
        require(outputSize > 0, "outputSize must be > 0, got " + outputSize);
        if (cell == CellType.MLP) {
            require(window > 0, "an MLP needs window > 0 (the number of steps it flattens), got " + window);
            require(outputMode == OutputMode.LAST_STEP, "an MLP has only outputMode LAST_STEP");
            require(!bidirectional, "an MLP has no direction: bidirectional is for recurrent cells");
        } else {
            require(window == 0, "window is for MLP only, got " + window + " for " + cell);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid ModelSpec: " + message);
        }
    }

    /** A builder with defaults: 1 layer, no dropout, last-step output, GRU linear_before_reset = 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        return new Builder().setCell(cell).setInputSize(inputSize).setHiddenSize(hiddenSize)
                .optNumLayers(numLayers).optDropout(dropout).setHead(head, outputSize)
                .setOutputMode(outputMode).optLinearBeforeReset(linearBeforeReset).optWindow(window)
                .optBidirectional(bidirectional);
    }

    /** Number of gate blocks per layer (see {@link CellType#gates()}). */
    public int gates() {
        return cell.gates();
    }

    /** Directions per recurrent layer: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Width of a layer's output, which the next layer and the head read: {@code D * H}. */
    public int layerOutputSize() {
        return directions() * hiddenSize;
    }

    /** Input size of layer {@code l}: {@link #inputSize()} for the first, else {@link #layerOutputSize()}. */
    public int layerInputSize(int l) {
        if (cell == CellType.MLP && l == 0) {
            return inputSize * window;
        }
        return l == 0 ? inputSize : layerOutputSize();
    }

    /** This spec as pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses and validates a spec written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the JSON is malformed or a field is invalid
     */
    public static ModelSpec fromJson(String json) {
        ModelSpec spec;
        try {
            spec = GSON.fromJson(json, ModelSpec.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Invalid ModelSpec JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what the validating constructor threw
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException("Invalid ModelSpec JSON: " + e.getMessage(), e);
        }
        if (spec == null) {
            throw new IllegalArgumentException("Invalid ModelSpec JSON: empty document");
        }
        return spec;
    }

    /** Fluent builder; {@code set*} for required fields, {@code opt*} for optional ones (DJL style). */
    public static final class Builder {
        private CellType cell;
        private int inputSize;
        private int hiddenSize;
        private int numLayers = 1;
        private float dropout;
        private HeadKind head;
        private int outputSize;
        private OutputMode outputMode = OutputMode.LAST_STEP;
        private boolean linearBeforeReset = true;
        private int window;
        private boolean bidirectional;

        public Builder setCell(CellType cell) {
            this.cell = cell;
            return this;
        }

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder setHead(HeadKind head, int outputSize) {
            this.head = head;
            this.outputSize = outputSize;
            return this;
        }

        public Builder setOutputMode(OutputMode outputMode) {
            this.outputMode = outputMode;
            return this;
        }

        public Builder optNumLayers(int numLayers) {
            this.numLayers = numLayers;
            return this;
        }

        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optLinearBeforeReset(boolean linearBeforeReset) {
            this.linearBeforeReset = linearBeforeReset;
            return this;
        }

        public Builder optWindow(int window) {
            this.window = window;
            return this;
        }

        /** Bidirectional recurrent layers (default: forward only). */
        public Builder optBidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        public ModelSpec build() {
            return new ModelSpec(cell, inputSize, hiddenSize, numLayers, dropout, head, outputSize, outputMode,
                    linearBeforeReset, window, bidirectional);
        }
    }
}
