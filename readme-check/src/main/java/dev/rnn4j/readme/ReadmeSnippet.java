package dev.rnn4j.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns README's "Use from Java" section into a Maven project, and checks what that project printed.
 *
 * <ul>
 *   <li>{@code write README DIR VERSION}: the section's first {@code xml} block (the BOM import and the
 *       dependencies) goes into {@code DIR/pom.xml} unchanged, inside a plain project skeleton that only pins plugin
 *       versions; every {@code java} block becomes a source file, and a generated {@code ReadmePrograms} main runs
 *       their {@code main} methods in order.</li>
 *   <li>{@code check LOG}: the run must print {@code test accuracy A} with A >= 0.99, {@code predicted: parabola}, and
 *       (the training request program) {@code request: test_accuracy A} with A >= 0.99, and (the forecaster)
 *       {@code forecaster: test OWA X} with X below Naive2's 1.</li>
 * </ul>
 * Failures throw (this runs inside Maven through exec:java), naming what is missing.
 */
public final class ReadmeSnippet {
    static final String SECTION = "## Use from Java";
    /** A second section whose {@code java} blocks run too (the PyTorch round trip). */
    static final String IMPORT_SECTION = "## Bring your model";
    /** The accuracy as printed in any locale: {@code 0.9980} or {@code 0,9980}. */
    private static final Pattern ACCURACY = Pattern.compile("test accuracy ([0-9]+(?:[.,][0-9]+)?)");
    private static final Pattern REQUEST = Pattern.compile("request: test_accuracy ([0-9]+(?:[.,][0-9]+)?)");
    private static final Pattern FORECASTER = Pattern.compile("forecaster: test OWA ([0-9]+(?:[.,][0-9]+)?)");
    private static final Pattern FINE_TUNED = Pattern.compile("fine-tuned from PyTorch: test accuracy ([0-9]+(?:[.,]"
            + "[0-9]+)?)");
    /** The generated main class that runs every program of the section. */
    static final String RUNNER = "ReadmePrograms";
    private static final Pattern CLASS_NAME = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    private ReadmeSnippet() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "write" -> write(Path.of(args[1]), Path.of(args[2]), args[3]);
            case "check" -> check(Path.of(args[1]));
            default -> throw new IllegalArgumentException("usage: write README DIR VERSION | check LOG");
        }
    }

    /** One {@code java} block of the section and its public class. */
    record Program(String java, String className) {
    }

    /** The blocks of README's "Use from Java" section. */
    record Snippet(String xml, List<Program> programs) {
    }

    /** The text of README's section {@code heading}, to the next {@code ## } heading. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalStateException("README.md has no section '" + heading + "'");
        }
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    static Snippet read(String readme, String version) {
        String section = section(readme, SECTION) + section(readme, IMPORT_SECTION);
        String xml = block(section, "xml");
        if (!xml.contains("<dependencyManagement>") || !xml.contains("rnn4j-bom") || !xml.contains("<dependencies>")) {
            throw new IllegalStateException("README '" + SECTION + "': the xml block must import rnn4j-bom in "
                    + "<dependencyManagement> and list <dependencies>");
        }
        if (!xml.contains("<version>" + version + "</version>")) {
            throw new IllegalStateException("README '" + SECTION + "': the BOM version is not " + version
                    + ", this build's version");
        }
        List<Program> programs = new ArrayList<>();
        String fence = "```java\n";
        for (int from = section.indexOf(fence); from >= 0; from = section.indexOf(fence, from + fence.length())) {
            int to = section.indexOf("\n```", from + fence.length());
            String java = section.substring(from + fence.length(), to + 1);
            Matcher m = CLASS_NAME.matcher(java);
            if (!m.find()) {
                throw new IllegalStateException("README '" + SECTION + "': a java block has no public class");
            }
            programs.add(new Program(java, m.group(1)));
        }
        if (programs.isEmpty()) {
            throw new IllegalStateException("README '" + SECTION + "' has no ```java block");
        }
        return new Snippet(xml, programs);
    }

    private static String block(String section, String language) {
        String fence = "```" + language + "\n";
        int from = section.indexOf(fence);
        if (from < 0) {
            throw new IllegalStateException("README '" + SECTION + "' has no ```" + language + " block");
        }
        int to = section.indexOf("\n```", from + fence.length());
        return section.substring(from + fence.length(), to + 1);
    }

    static void write(Path readme, Path dir, String version) throws IOException {
        Snippet s = read(Files.readString(readme, StandardCharsets.UTF_8), version);
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>use-from-java</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                      <plugin>
                        <groupId>org.codehaus.mojo</groupId>
                        <artifactId>exec-maven-plugin</artifactId>
                        <version>3.5.0</version>
                        <configuration><mainClass>%s</mainClass></configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(s.xml().indent(2).stripTrailing(), RUNNER);
        Files.createDirectories(dir.resolve("src/main/java"));
        Files.writeString(dir.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
        StringBuilder runner = new StringBuilder("public class " + RUNNER + " {\n"
                + "    public static void main(String[] args) throws Exception {\n");
        for (Program p : s.programs()) {
            Files.writeString(dir.resolve("src/main/java/" + p.className() + ".java"), p.java(), StandardCharsets.UTF_8);
            runner.append("        ").append(p.className()).append(".main(args);\n");
        }
        runner.append("    }\n}\n");
        Files.writeString(dir.resolve("src/main/java/" + RUNNER + ".java"), runner, StandardCharsets.UTF_8);
        System.out.println("README '" + SECTION + "' written to " + dir);
    }

    static void check(Path log) throws IOException {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = ACCURACY.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("the README program printed no 'test accuracy' line; see " + log);
        }
        double accuracy = Double.parseDouble(m.group(1).replace(',', '.'));
        if (accuracy < 0.99) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the README program reached test accuracy %.4f, README promises >= 0.99", accuracy));
        }
        if (!out.contains("predicted: parabola")) {
            throw new IllegalStateException("the README program did not print 'predicted: parabola'; see " + log);
        }
        Matcher r = REQUEST.matcher(out);
        if (!r.find()) {
            throw new IllegalStateException("the README's training request program printed no 'request: "
                    + "test_accuracy' line; see " + log);
        }
        double requested = Double.parseDouble(r.group(1).replace(',', '.'));
        if (requested < 0.99) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the README's training request reached test accuracy %.4f, README promises >= 0.99", requested));
        }
        Matcher f = FORECASTER.matcher(out);
        if (!f.find()) {
            throw new IllegalStateException("the README's forecaster program printed no 'forecaster: test OWA' line; see "
                    + log);
        }
        double owa = Double.parseDouble(f.group(1).replace(',', '.'));
        if (!(owa < 1)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the README's forecaster reached OWA %.3f, not "
                    + "better than Naive2 (1)", owa));
        }
        Matcher t = FINE_TUNED.matcher(out);
        if (!t.find()) {
            throw new IllegalStateException("the README's PyTorch round trip printed no 'fine-tuned from PyTorch' line; "
                    + "see " + log);
        }
        double tuned = Double.parseDouble(t.group(1).replace(',', '.'));
        if (!(tuned > 0.95)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the README's PyTorch model fine-tuned to %.4f, "
                    + "README promises > 0.95", tuned));
        }
        System.out.println(String.format(Locale.ROOT, "README '%s' ran: test accuracy %.4f, predicted a parabola; "
                + "the training request reached %.4f; the forecaster's OWA %.3f; the PyTorch model fine-tuned to %.4f",
                SECTION, accuracy, requested, owa, tuned));
    }
}
