package dev.rnn4j.io;

import com.google.gson.JsonObject;
import dev.rnn4j.Provenance;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import java.util.Map;

/**
 * A model read from a folder.
 *
 * @param spec       what the model is
 * @param parameters its parameters in the canonical layout
 * @param info       free-form information saved with it (task, data-set configuration and seed, ...)
 * @param extras     named extra tensor sets saved with it (a checkpoint's optimizer state); empty for most models
 */
public record SavedModel(ModelSpec spec, Parameters parameters, JsonObject info, Map<String, Parameters> extras) {

    /** Where the model came from, read from {@code info}. */
    public Provenance provenance() {
        return Provenance.fromJson(info);
    }
}
