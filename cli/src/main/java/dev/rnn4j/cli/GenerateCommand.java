package dev.rnn4j.cli;

import dev.rnn4j.examples.CharSampler;
import dev.rnn4j.runs.Tasks;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rnn4j generate}: samples text from a character model trained with {@code --task char-text}. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Sample text from a trained character model.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    BackendOption backendOption = new BackendOption();

    @Option(names = "--model", required = true, description = "A model folder trained on --task char-text.")
    Path modelDir;

    @Option(names = "--prime", defaultValue = "The ", description = "Text to start from (default: '${DEFAULT-VALUE}').")
    String prime;

    @Option(names = "--length", defaultValue = "500", description = "Characters to sample (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SavedModel saved = ModelStore.load(modelDir);
        if (!saved.info().has("task") || !"char-text".equals(saved.info().get("task").getAsString())) {
            throw new IllegalArgumentException(modelDir + " is not a character model (train it with --task char-text)");
        }
        var vocabulary = Tasks.CHAR_TEXT.fromJson(saved.info().getAsJsonObject("data")).charVocabulary();
        try (Model model = backendOption.start(EnumSet.noneOf(Capability.class)).newModel(saved.spec(), saved.parameters())) {
            System.out.println(new CharSampler(model, vocabulary).sample(prime, length, temperature, seed));
        }
        return 0;
    }
}
