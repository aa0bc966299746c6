package dev.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.runs.TrainingRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code ./rnn4j} command in README.md and docs/ as written. Each one is sorted into one of:
 * <ul>
 *   <li><b>run</b>: quick ones (a {@code train} whose budget is at most 300 steps, or at most 3,000 with an early-stop
 *       target; {@code eval}, {@code export}, {@code predict}, {@code import} and {@code --help}), in document order, paths under
 *       {@code data/} read from the repository and every other relative path in a temporary folder: each must exit
 *       with 0;</li>
 *   <li><b>checked</b>: slow ones, parsed with the command line's own parser and, for {@code train}, made into their
 *       training request (flags, task options, files): nothing is refused;</li>
 *   <li><b>listed</b>: templates ({@code NAME}, {@code [--flag]}, {@code a|b}), fragments without their required
 *       flags, and commands that name a file of the reader's own (not in the repository) or a command of a module
 *       this one does not see ({@code sweep}).</li>
 * </ul>
 * The test prints the three lists, and fails if a command is refused, fails, or if nothing ran.
 */
class DocsCommandsTest {
    private static final Pattern FENCED = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern INLINE = Pattern.compile("`(\\./rnn4j[^`]*)`");
    /** The placeholders the documents use for what the reader fills in. */
    private static final Set<String> PLACEHOLDERS = Set.of("NAME", "DIR", "DIR...", "FILE", "COL", "COLUMN", "T", "W",
            "M", "N", "K", "S", "H", "A", "R", "B", "MINUTES");
    private static final Set<String> FILE_FLAGS = Set.of("--csv", "--text", "--spec", "--model");

    @TempDir
    Path tmp;

    /** Every command of README.md and docs/*.md, in order, with line continuations joined. */
    static List<String> commands(Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        Set<String> commands = new LinkedHashSet<>();
        for (Path f : files) {
            String text = Files.readString(f);
            Matcher block = FENCED.matcher(text);
            while (block.find()) {
                for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
                    if (line.strip().startsWith("./rnn4j ")) {
                        commands.add(line.strip().replaceAll("\\s+", " "));
                    }
                }
            }
            Matcher inline = INLINE.matcher(FENCED.matcher(text).replaceAll("").replace('\n', ' '));
            while (inline.find()) {
                commands.add(inline.group(1).strip().replaceAll("\\s+", " "));
            }
        }
        return List.copyOf(commands);
    }

    @Test
    void everyDocumentedCommandRunsOrIsCheckedOrListed() throws Exception {
        Path root = dev.rnn4j.testing.RepoData.root();
        List<String> ran = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        for (String command : commands(root)) {
            List<String> words = new ArrayList<>(List.of(command.substring("./rnn4j".length()).strip()
                    .replace("\"", "").split(" ")));
            if (words.isEmpty() || words.get(0).isEmpty() || words.size() == 1 && words.get(0).equals("train")
                    || command.contains("[") || command.contains("|")
                    || words.stream().anyMatch(w -> PLACEHOLDERS.contains(w) || w.contains("HOST"))) {
                listed.add(command + "  (a template)");
                continue;
            }
            String[] args = words.stream().map(w -> localPath(w, root)).toArray(String[]::new);
            String yours = theReadersFile(words, root);
            if (yours != null) {
                listed.add(command + "  (needs your " + yours + ")");
                continue;
            }
            CommandLine cli = Main.commandLine();
            if (!cli.getSubcommands().containsKey(args[0])) {
                listed.add(command + "  (" + args[0] + " is in a module this one does not see)");
                continue;
            }
            CommandLine.ParseResult parsed;
            try {
                parsed = cli.parseArgs(args);
            } catch (CommandLine.MissingParameterException e) {
                listed.add(command + "  (a fragment: " + e.getMessage() + ")");
                continue;
            }
            CommandLine.ParseResult sub = parsed.subcommand();
            boolean quick = !Set.of("train", "backtest").contains(args[0]) ? Set.of("eval", "export", "predict", "import")
                    .contains(args[0])
                    || sub.isUsageHelpRequested() : isQuick(sub);
            if (quick) {
                StringWriter err = new StringWriter();
                assertEquals(0, Main.run(new PrintWriter(err, true), args), command + ": " + err);
                ran.add(command);
            } else {
                checked.add(command);
            }
        }
        System.out.println("Documented commands run:\n  " + String.join("\n  ", ran));
        System.out.println("Checked (slow: parsed, and train's request built, not run):\n  " + String.join("\n  ", checked));
        System.out.println("Listed (not run):\n  " + String.join("\n  ", listed));
        assertTrue(ran.contains("./rnn4j train --task function-shapes --cell lstm --hidden 100 --train-length 8 "
                + "--test-length 4 --seed 1 --out out/fs"), "README's first command ran: " + ran);
        assertTrue(ran.size() >= 5, "ran: " + ran);
    }

    /**
     * A train or backtest command that runs in seconds; every one's request (and backtest) is built, and so checked,
     * here.
     */
    private static boolean isQuick(CommandLine.ParseResult train) {
        if (train.isUsageHelpRequested()) {
            return true;
        }
        TrainingRequest request = ((TrainCommand) train.commandSpec().userObject()).request();
        if (train.commandSpec().userObject() instanceof BacktestCommand b) {
            new dev.rnn4j.runs.Backtest(request, b.origins, b.retrain); // its own checks
        }
        int steps = request.plan().trainer().maxSteps();
        boolean target = request.steps() == null && !Double.isNaN(request.data().task().target());
        return steps <= 300 || steps <= 3000 && target;
    }

    /** The file flag whose value is neither in the repository nor made by an earlier command, or null. */
    private String theReadersFile(List<String> words, Path root) {
        for (int i = 0; i + 1 < words.size(); i++) {
            if (FILE_FLAGS.contains(words.get(i)) && !Files.exists(Path.of(localPath(words.get(i + 1), root)))) {
                return words.get(i) + " " + words.get(i + 1);
            }
        }
        return null;
    }

    /** {@code data/...} in the repository; any other relative path (a folder or a file name) in the temporary folder. */
    private String localPath(String word, Path root) {
        if (word.startsWith("-") || word.contains("://") || !(word.contains("/") || word.matches(".*\\.[a-z]{2,4}"))) {
            return word;
        }
        return (word.startsWith("data/") ? root.resolve(word) : tmp.resolve(word)).toString();
    }
}
