package dev.rnn4j.io;

import com.google.gson.JsonObject;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;

/**
 * A model read from a folder.
 *
 * @param spec       what the model is
 * @param parameters its parameters in the canonical layout
 * @param info       free-form information saved with it (task, data-set configuration and seed, ...)
 */
public record SavedModel(ModelSpec spec, Parameters parameters, JsonObject info) {
}
