import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.datasets.FunctionShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes function-shapes data (seed from the command line) as text for function_shapes.py. */
public class DumpFunctionShapes {
    public static void main(String[] a) throws Exception {
        DataSplit split = FunctionShapes.generate(FunctionShapes.Config.defaults(Long.parseLong(a[0])));
        for (String part : new String[] {"train", "test"}) {
            StringBuilder sb = new StringBuilder();
            for (Sequence s : (part.equals("train") ? split.train() : split.test()).sequences()) {
                sb.append(s.length()).append(';').append(Arrays.toString(s.inputs())).append(';')
                        .append(Arrays.toString(s.labels())).append('\n');
            }
            Files.writeString(Path.of(part + ".txt"), sb);
        }
    }
}
