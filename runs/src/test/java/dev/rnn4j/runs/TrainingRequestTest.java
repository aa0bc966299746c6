package dev.rnn4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.datasets.SineInverse;
import dev.rnn4j.spec.CellType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training request: its settings parse under their flag names, it goes to JSON and back unchanged (what a sweep ships
 * to its executors), the recipe fills what it leaves open, bad settings are refused naming the flag, and running it
 * leaves the model with the request in its provenance.
 */
class TrainingRequestTest {
    @TempDir
    Path dir;

    private TrainingRequest.Builder sine() {
        return TrainingRequest.builder().setTask("sine-inverse").option("window", "5").option("noise-variance", "0.04")
                .option("train-size", "200").option("test-size", "50").option("cell", "gru").option("hidden", "6")
                .option("steps", "30").option("lr", "0.01").option("lr-schedule", "cosine").option("keep-best", "false")
                .option("bidirectional", "true").optSeed(7).setOut(dir.resolve("run"));
    }

    @Test
    void settingsParseUnderTheirFlagNamesAndTheTaskGetsItsOwn() {
        TrainingRequest r = sine().build();
        assertEquals(CellType.GRU, r.cell());
        assertEquals(6, r.hidden());
        assertEquals(30, r.steps());
        assertEquals(0.01f, r.lr());
        assertEquals(Boolean.FALSE, r.keepBest());
        assertTrue(r.bidirectional());
        SineInverse.Config data = (SineInverse.Config) r.data().config();
        assertEquals(5, data.window());
        assertEquals(0.04, data.noiseVariance());
        assertEquals(200, data.trainSize());
        assertEquals(7, data.seed(), "the data seed is the request's");
        assertNull(r.batchSize(), "left to the recipe");
        TrainingRequest.Plan plan = r.plan();
        assertEquals(r.data().recipe().batchSize(), plan.trainer().batchSize(), "the recipe fills what is open");
        assertEquals(30, plan.trainer().maxSteps());
    }

    /**
     * char-text's recipe is char-rnn's model (two layers of 384, dropout 0.5, Adam 4e-3 annealed by a cosine); with a
     * time limit and no step count its budget is the time (the trainer fits the steps), with both the steps given.
     */
    @Test
    void charTextDefaultsToItsRecipeAndATimeLimitSetsItsBudget() throws java.io.IOException {
        Path text = dir.resolve("text.txt");
        java.nio.file.Files.writeString(text, "to be or not to be, that is the question. ".repeat(200));
        TrainingRequest.Builder b = TrainingRequest.builder().setTask("char-text").option("text", text.toString())
                .setOut(dir.resolve("chars"));
        TrainingRequest.Plan plan = b.build().plan();
        assertEquals(2, plan.spec().numLayers());
        assertEquals(384, plan.spec().hiddenSize());
        assertEquals(0.5f, plan.spec().dropout());
        assertEquals(dev.rnn4j.train.LearningRateSchedule.cosine(0.01), plan.trainer().schedule());
        assertEquals(5900, plan.trainer().maxSteps());
        assertEquals(Integer.MAX_VALUE, b.optTimeLimit(java.time.Duration.ofMinutes(20)).build().plan().trainer()
                .maxSteps(), "the steps that fit in 20 minutes");
        assertEquals(300, b.option("steps", "300").build().plan().trainer().maxSteps());
        TrainingRequest constant = b.option("lr-schedule", "constant").option("layers", "1").option("dropout", "0")
                .build();
        assertEquals(300, constant.plan().trainer().maxSteps());
        assertEquals(1, constant.plan().spec().numLayers(), "a flag overrides the recipe");
        assertEquals(0f, constant.plan().spec().dropout());
        assertEquals(constant, TrainingRequest.fromJson(constant.toJson().toString()));
    }

    @Test
    void jsonRoundTripGivesAnEqualRequest() {
        TrainingRequest r = sine().optBackend("native").optTimeLimit(java.time.Duration.ofSeconds(90))
                .option("loss", "mae").optKeepBest(true).build();
        JsonObject json = r.toJson();
        assertEquals("mae", json.get("loss").getAsString());
        assertEquals(dev.rnn4j.train.RegressionLoss.MAE, r.plan().trainer().loss());
        assertEquals("mae", r.plan().trainer().keepBest(), "keep-best chooses by the loss trained on");
        assertEquals("sine-inverse", json.get("task").getAsString());
        assertEquals(5, json.getAsJsonObject("data").get("window").getAsInt(), "the typed data configuration");
        TrainingRequest back = TrainingRequest.fromJson(json.toString());
        assertEquals(r, back);
        assertEquals(json.toString(), back.toJson().toString());
    }

    @Test
    void badSettingsAreRefusedNamingTheFlag() {
        Map<String, String> cases = Map.of(
                "window", "--window is not an option of --task function-shapes",
                "colour", "--colour is not a training setting (function-shapes takes: --coefficients",
                "hidden", "--hidden must be a whole number, got 'many'");
        cases.forEach((key, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder()
                    .setTask("function-shapes").option(key, key.equals("hidden") ? "many" : "3")
                    .setOut(dir).build());
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
        IllegalArgumentException noOut = assertThrows(IllegalArgumentException.class,
                () -> TrainingRequest.builder().setTask("adding").build());
        assertEquals("no output folder: give --out DIR", noOut.getMessage());
        IllegalArgumentException lbr = assertThrows(IllegalArgumentException.class,
                () -> TrainingRequest.builder().setTask("adding").option("gru-linear-before-reset", "2"));
        assertEquals("--gru-linear-before-reset must be 0 or 1, got 2", lbr.getMessage());
    }

    /** What {@code train} leaves, from Java: the model, metrics.json and the figure, the request in the provenance. */
    @Test
    void runningItLeavesTheModelWithTheRequestInItsProvenance() throws IOException {
        TrainingRequest r = sine().option("steps", "5").option("bidirectional", "false").optBackend("native").build();
        TrainingRun.Outcome o = r.run();
        Path out = r.out();
        for (String f : new String[] {"model.json", "parameters.bin", "metrics.json", "curve.csv", "loss.png"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        JsonObject info = JsonParser.parseString(Files.readString(out.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("info");
        assertEquals(r.toJson().toString(), info.getAsJsonObject("request").toString());
        assertEquals(r, TrainingRequest.fromJson(info.getAsJsonObject("request")), "the model says how to remake it");
        assertEquals(5, o.metrics().get("steps").getAsInt());
        assertEquals(r.toJson().toString(), o.metrics().getAsJsonObject("request").toString());
    }
}
