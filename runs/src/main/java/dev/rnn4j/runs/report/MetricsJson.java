package dev.rnn4j.runs.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds and writes {@code metrics.json}. */
public final class MetricsJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private MetricsJson() {
    }

    /** {@code {"name": value, ...}} as a JSON object. */
    public static JsonObject object(Map<String, Double> metrics) {
        JsonObject o = new JsonObject();
        metrics.forEach(o::addProperty);
        return o;
    }

    /** A JSON array of numbers. */
    public static JsonArray array(List<Double> values) {
        JsonArray a = new JsonArray(values.size());
        values.forEach(a::add);
        return a;
    }

    /** Writes {@code json} pretty-printed, atomically. */
    public static void write(Path file, JsonObject json) throws IOException {
        AtomicFiles.writeString(file, GSON.toJson(json) + "\n");
    }
}
