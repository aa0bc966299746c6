package dev.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input list: each case exits with code 2 and one line naming the problem, before any work, and leaves
 * nothing at its {@code --out}.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("empty.txt"), "");
        Files.writeString(dir.resolve("short.txt"), "hello world\n");
        byte[] binary = new byte[4096];
        new java.util.Random(1).nextBytes(binary);
        Files.write(dir.resolve("binary.txt"), binary);
        Files.writeString(dir.resolve("a-file"), "x");
        StringBuilder series = new StringBuilder("t,y\n");
        for (int i = 0; i < 60; i++) {
            series.append(i).append(',').append(Math.sin(i / 3.0)).append('\n');
        }
        Files.writeString(dir.resolve("series.csv"), series);
        StringBuilder classes = new StringBuilder("id,t,x,label\n");
        for (int i = 0; i < 30; i++) {
            for (int t = 0; t < 3; t++) {
                classes.append('s').append(i).append(',').append(t).append(',').append(i * t).append(',')
                        .append(i % 2 == 0 ? "even" : "odd").append('\n');
            }
        }
        Files.writeString(dir.resolve("classes.csv"), classes);
        Files.writeString(dir.resolve("text-cell.csv"), classes.toString().replace("s3,1,3,", "s3,1,abc,"));
        Files.writeString(dir.resolve("nan-cell.csv"), classes.toString().replace("s3,1,3,", "s3,1,NaN,"));
        Files.writeString(dir.resolve("noon.csv"), classes.toString().replace("s3,1,3,", "s3,noon,3,"));
        Files.writeString(dir.resolve("two-labels.csv"), classes.toString().replace("s3,1,3,odd", "s3,1,3,even"));
        Files.writeString(dir.resolve("one-class.csv"), classes.toString().replace("odd", "even"));
        Files.writeString(dir.resolve("few.csv"), "id,x,label\na,1,u\nb,2,v\nc,3,u\n");
    }

    static Stream<Arguments> cases() {
        String fs = "--task function-shapes";
        List<Arguments> c = new ArrayList<>();
        c.add(Arguments.of("--task nope", "Unknown task 'nope'"));
        c.add(Arguments.of(fs + " --cell lstn", "Unknown cell 'lstn'"));
        c.add(Arguments.of(fs + " --backend nope", "Unknown backend 'nope'"));
        c.add(Arguments.of(fs + " --optimizer adamw", "Unknown optimizer 'adamw'"));
        c.add(Arguments.of(fs + " --lr-schedule step", "Unknown learning-rate schedule 'step'"));
        c.add(Arguments.of(fs + " --on-nonfinite retry", "Unknown --on-nonfinite 'retry'"));
        c.add(Arguments.of(fs + " --hidden 0", "hiddenSize must be > 0"));
        c.add(Arguments.of(fs + " --layers 0", "numLayers must be"));
        c.add(Arguments.of(fs + " --batch-size 0", "batch size must be >= 1"));
        c.add(Arguments.of(fs + " --steps 0", "maxSteps must be >= 1"));
        c.add(Arguments.of(fs + " --lr -1", "learning rate must be > 0"));
        c.add(Arguments.of(fs + " --lr 0", "learning rate must be > 0"));
        c.add(Arguments.of(fs + " --dropout 1", "dropout must be in [0, 1)"));
        c.add(Arguments.of(fs + " --dropout -0.1", "dropout must be in [0, 1)"));
        c.add(Arguments.of(fs + " --hiden 3", "Unknown option"));
        c.add(Arguments.of("--task char-text --text " + dir.resolve("missing.txt"), "no such file"));
        c.add(Arguments.of("--task char-text --text " + dir.resolve("empty.txt"), "the text has 0 characters"));
        c.add(Arguments.of("--task char-text --text " + dir.resolve("short.txt"), "too short for sequences of 100"));
        c.add(Arguments.of("--task char-text --text " + dir.resolve("binary.txt"), "is not UTF-8 text"));
        c.add(Arguments.of(fs + " --stateful", "--stateful is not an option of --task function-shapes"));
        c.add(Arguments.of(fs + " --loss mae", "--loss is for regression tasks: function-shapes classifies"));
        c.add(Arguments.of(fs + " --freeze layers.9", "--freeze layers.9 matches no parameter (the model's: layers.0.W, "
                + "layers.0.R, layers.0.B, head.W, head.b)"));
        c.add(Arguments.of(fs + " --freeze layers.0,head", "--freeze layers.0,head freezes every parameter: nothing "
                + "would train"));
        c.add(Arguments.of(fs + " --init-from " + dir.resolve("no-model"), "--init-from " + dir.resolve("no-model")));
        c.add(Arguments.of(fs + " --new-head", "--new-head replaces the head of an --init-from model; there is none"));
        c.add(Arguments.of("--task sine-inverse --loss l2", "Unknown --loss 'l2'. Expected mse or mae"));
        String m4 = "--task series-forecast --csv " + dev.rnn4j.testing.RepoData.path("m4/Hourly-train.csv");
        c.add(Arguments.of(m4 + " --horizon 48", "series-forecast needs --csv FILE, --horizon H and --season M"));
        c.add(Arguments.of(m4 + " --horizon 0 --season 24", "--horizon must be at least 1, got 0"));
        c.add(Arguments.of(m4 + " --horizon 48 --season 24 --window 2000", "no series is long enough for one window"));
        c.add(Arguments.of(m4 + " --horizon 48 --season 24 --test-csv " + dev.rnn4j.testing.RepoData.path(
                "timeseries/nile.csv"), "its series differ from"));
        c.add(Arguments.of(m4 + " --horizon 48 --season 24 --residual ar", "--residual must be snaive or none"));
        c.add(Arguments.of(m4 + " --horizon 48 --season 24 --layout long --id V1", "--layout long needs --id COLUMN, "
                + "--time-column COLUMN and --target COLUMN"));
        c.add(Arguments.of(m4 + " --horizon 48 --season 24 --layout long --id id --time-column t --target y",
                "no column 'id'; the columns are V1, V2"));
        c.add(Arguments.of(fs + " --device gpu --backend native", "--device gpu: backend 'native' cannot run on a GPU; "
                + "backends that can: "));
        c.add(Arguments.of(fs + " --window 3", "--window is not an option of --task function-shapes (function-shapes "
                + "takes: --coefficients,"));
        c.add(Arguments.of("--task csv-forecast --target y --window 3", "csv-forecast needs --csv FILE"));
        c.add(Arguments.of("--task csv-forecast --csv " + dir.resolve("missing.csv") + " --target y --window 3",
                "no such file"));
        c.add(Arguments.of("--task csv-forecast --csv " + dir.resolve("series.csv") + " --target z --window 3",
                "has no column 'z'; its columns: t, y"));
        c.add(Arguments.of("--task csv-forecast --csv " + dir.resolve("series.csv") + " --target y --window 3 --split "
                + "0.7,0.2,0.2", "--split must be three fractions"));
        String classify = "--task csv-classify --id id --label label --csv " + dir;
        c.add(Arguments.of("--task csv-classify --csv " + dir.resolve("classes.csv") + " --label label",
                "csv-classify needs --csv FILE, --id COLUMN and --label COLUMN"));
        c.add(Arguments.of(classify + "/missing.csv", "no such file"));
        c.add(Arguments.of(classify + "/empty.txt", "is empty: a CSV file with a header row is needed"));
        c.add(Arguments.of(classify + "/classes.csv --features x,z", "has no column 'z'; its columns: id, t, x, label"));
        c.add(Arguments.of(classify + "/text-cell.csv", "line 12, column 'x': 'abc' is not a number"));
        c.add(Arguments.of(classify + "/nan-cell.csv", "line 12, column 'x' is NaN: only finite values"));
        c.add(Arguments.of(classify + "/noon.csv --time-column t", "line 12, column 't': 'noon' is neither a number nor"));
        c.add(Arguments.of(classify + "/two-labels.csv", "sequence 's3' has two labels: 'odd' (line 11) and 'even' "
                + "(line 12)"));
        c.add(Arguments.of(classify + "/one-class.csv", "has one class (even); classification needs at least two"));
        c.add(Arguments.of(classify + "/few.csv", "has 3 sequences: too few for --split"));
        c.add(Arguments.of(fs + " --cell mlp --bidirectional", "an MLP has no direction"));
        c.add(Arguments.of("--task char-text --stateful --bidirectional", "--stateful and --bidirectional do not go"));
        c.add(Arguments.of("--task char-text --char-mode window --stateful", "--stateful needs --char-mode sequence"));
        c.add(Arguments.of("--task char-text --stateful --cell mlp", "the MLP baseline has no state"));
        c.add(Arguments.of("--task char-text --stateful --batch-size 1000000", "need at least one chunk per stream"));
        return c.stream();
    }

    private static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(err, true), args);
    }

    @ParameterizedTest(name = "train {0}")
    @MethodSource("cases")
    void trainRefusesWithOneLine(String flags, String expected) {
        Path out = dir.resolve("out-" + Integer.toHexString(flags.hashCode()));
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(flags.split(" ")));
        args.addAll(List.of("--out", out.toString()));
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, args.toArray(String[]::new)), err.toString());
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(expected), text);
        assertFalse(Files.exists(out), "nothing written at --out");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherCommands")
    void otherCommandsRefuseWithOneLine(String command, String expected) {
        StringWriter err = new StringWriter();
        String[] args = command.replace("DIR", dir.toString()).split(" ");
        assertEquals(2, run(err, args), err.toString());
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(expected), text);
    }

    static Stream<Arguments> otherCommands() {
        return Stream.of(
                Arguments.of("train --task function-shapes --out DIR/a-file/sub", "is a file"),
                Arguments.of("eval --model DIR", "not a model folder"),
                Arguments.of("export --model DIR --out DIR/m.onnx", "not a model folder"),
                Arguments.of("generate --model DIR", "not a model folder"),
                Arguments.of("onnx-test DIR/no-such-folder", "not a folder"),
                Arguments.of("train --task function-shapes --resume --out DIR/never-trained", "Cannot resume: no checkpoint"),
                Arguments.of(BACKTEST + " --origins 0 --out DIR/bt", "--origins must be at least 1, got 0"),
                Arguments.of(BACKTEST + " --origins 20 --out DIR/bt", "no series is long enough for one window: each "
                        + "needs --window + 2 x --horizon = 264 values before its test values (at the first of 20 "
                        + "origins, each series cut 20 x 48 values before its end)"),
                Arguments.of("backtest --task function-shapes --out DIR/bt", "backtest evaluates --task series-forecast, "
                        + "got --task function-shapes"),
                Arguments.of("import --safetensors DIR/short.txt --cell lstm --out DIR/imp", "not a safetensors file"),
                Arguments.of("import --safetensors DIR/missing.safetensors --cell lstm --out DIR/imp", "no such file"),
                Arguments.of("import --safetensors " + TORCH + " --cell gru --out DIR/imp", "rnn.weight_ih_l0: shape [20, "
                        + "3] is not a gru's [3 x hidden, input]"),
                Arguments.of("import --safetensors " + TORCH + " --cell lstm-peephole --out DIR/imp", "--cell "
                        + "lstm-peephole: PyTorch has no module for it"),
                Arguments.of("import --safetensors " + TORCH + " --cell lstm --head-kind logits --out DIR/imp",
                        "--head-kind must be regression or classification"),
                Arguments.of("import --onnx " + dev.rnn4j.testing.RepoData.path("onnx-node-rnn/test_lstm_defaults/model.onnx")
                        + " --out DIR/imp", "(LSTM): input 1 (W) is not an initializer (computed weights); the file still "
                        + "runs as it is with onnx-test and the interpreter"),
                Arguments.of("import --onnx DIR/short.txt --out DIR/imp", "short.txt"),
                Arguments.of("import --out DIR/imp", "give one of --safetensors FILE (with --cell) and --onnx FILE"),
                Arguments.of("import --safetensors " + TORCH + " --out DIR/imp", "--safetensors needs --cell"));
    }

    private static final String TORCH = dev.rnn4j.testing.RepoData.path("pytorch/lstm-1layer-last.safetensors")
            .toString();

    @org.junit.jupiter.api.Test
    void aTruncatedSafetensorsFileIsNamedAsSuch() throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(TORCH));
        Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(whole, whole.length - 40));
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "import", "--safetensors", dir.resolve("cut.safetensors").toString(), "--cell", "lstm",
                "--out", dir.resolve("imp-cut").toString()));
        assertTrue(err.toString().contains("truncated (tensor 'head."), err.toString());
        assertFalse(Files.exists(dir.resolve("imp-cut")), "nothing written");
    }

    private static final String BACKTEST = "backtest --task series-forecast --csv " + dev.rnn4j.testing.RepoData.path(
            "m4/Hourly-train.csv") + " --horizon 48 --season 24";

    @org.junit.jupiter.api.Test
    void backtestWritesNothingWhenItRefuses() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, (BACKTEST + " --origins 20 --out " + dir.resolve("bt-none")).split(" ")));
        assertFalse(Files.exists(dir.resolve("bt-none")), "nothing written at --out");
    }
}
