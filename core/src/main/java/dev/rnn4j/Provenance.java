package dev.rnn4j;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Where a model came from, saved in {@code model.json} (under {@code info}) and in the ONNX metadata
 * ({@value #ONNX_KEY}).
 *
 * @param task         the task or data set it was trained on, or {@code null} if not told
 * @param data         the data configuration (a data set's {@code Config} record as JSON), or {@code null}
 * @param seed         the seed of initialisation, dropout and batch order, or {@code null} if not known
 * @param engine       the backend it was trained on, or {@code null} if it was never trained
 * @param rnn4jVersion the rnn4j version that wrote it
 * @param request      the whole training request that made it (task, data, model and trainer settings, seed: what
 *                     reproduces it), or {@code null} if it was not trained from one
 */
public record Provenance(String task, JsonObject data, Long seed, String engine, String rnn4jVersion,
                         JsonObject request) {
    /** The ONNX {@code metadata_props} key holding {@link #toJson()}. */
    public static final String ONNX_KEY = "rnn4j.provenance";
    private static final Gson GSON = new Gson();

    public Provenance {
        data = data == null ? null : data.deepCopy();
        request = request == null ? null : request.deepCopy();
    }

    /** Without a request. */
    public Provenance(String task, JsonObject data, Long seed, String engine, String rnn4jVersion) {
        this(task, data, seed, engine, rnn4jVersion, null);
    }

    /** Nothing known yet but the version of this rnn4j. */
    public static Provenance unknown() {
        return new Provenance(null, null, null, null, Rnn4j.version());
    }

    /**
     * A model trained on {@code task} with data configured by {@code dataConfig} (any record, e.g.
     * {@code FunctionShapes.Config}; {@code null} for none).
     */
    public static Provenance of(String task, Object dataConfig, long seed, String engine) {
        JsonObject data = dataConfig == null ? null
                : dataConfig instanceof JsonObject j ? j : GSON.toJsonTree(dataConfig).getAsJsonObject();
        return new Provenance(task, data, seed, engine, Rnn4j.version());
    }

    /** The data configuration read back as {@code type}, e.g. {@code FunctionShapes.Config.class}. */
    public <C> C data(Class<C> type) {
        if (data == null) {
            throw new IllegalStateException("this model's provenance has no data configuration");
        }
        return GSON.fromJson(data, type);
    }

    /** This with another engine (the one that trained it last). */
    public Provenance withEngine(String engine) {
        return new Provenance(task, data, seed, engine, rnn4jVersion, request);
    }

    /** This with another seed. */
    public Provenance withSeed(long seed) {
        return new Provenance(task, data, seed, engine, rnn4jVersion, request);
    }

    /** This with the training request that made the model ({@code TrainingRequest.toJson()}). */
    public Provenance withRequest(JsonObject request) {
        return new Provenance(task, data, seed, engine, rnn4jVersion, request);
    }

    /** The fields of {@code model.json}'s {@code info}: {@code task, data, seed, trained_on, rnn4j_version, request}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        if (task != null) {
            o.addProperty("task", task);
        }
        if (data != null) {
            o.add("data", data.deepCopy());
        }
        if (seed != null) {
            o.addProperty("seed", seed);
        }
        if (engine != null) {
            o.addProperty("trained_on", engine);
        }
        if (rnn4jVersion != null) {
            o.addProperty("rnn4j_version", rnn4jVersion);
        }
        if (request != null) {
            o.add("request", request.deepCopy());
        }
        return o;
    }

    /** Reads the fields {@link #toJson()} writes; absent ones are {@code null}, other fields are ignored. */
    public static Provenance fromJson(JsonObject o) {
        return new Provenance(string(o, "task"), o.has("data") && o.get("data").isJsonObject() ? o.getAsJsonObject("data") : null,
                o.has("seed") ? o.get("seed").getAsLong() : null, string(o, "trained_on"), string(o, "rnn4j_version"),
                o.has("request") && o.get("request").isJsonObject() ? o.getAsJsonObject("request") : null);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
