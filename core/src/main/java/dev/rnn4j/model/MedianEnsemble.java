package dev.rnn4j.model;

import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Models of one spec combined by the median of their outputs, value by value (the mean of the middle two for an even
 * count): how an ensemble of seeds forecasts, robust to one member's bad forecast. Closing it closes the members.
 *
 * <pre>{@code
 * try (Model ensemble = new MedianEnsemble(List.of(a, b, c))) {
 *     Output out = ensemble.forward(batch);       // each value the median of a's, b's and c's
 * }
 * }</pre>
 */
public final class MedianEnsemble implements Model {
    private final List<Model> members;

    /**
     * @throws IllegalArgumentException for no members, or members of different specs
     */
    public MedianEnsemble(List<Model> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        for (Model m : members) {
            if (!java.util.Objects.equals(m.spec(), members.get(0).spec())) {
                throw new IllegalArgumentException("an ensemble's members must share one spec: " + m.spec() + " vs "
                        + members.get(0).spec());
            }
        }
        this.members = List.copyOf(members);
    }

    public List<Model> members() {
        return members;
    }

    @Override
    public ModelSpec spec() {
        return members.get(0).spec();
    }

    @Override
    public Output forward(Batch batch) {
        Output first = members.get(0).forward(batch);
        if (members.size() == 1) {
            return first;
        }
        float[][] all = new float[members.size()][];
        all[0] = first.values();
        for (int k = 1; k < members.size(); k++) {
            all[k] = members.get(k).forward(batch).values();
        }
        float[] median = new float[first.values().length];
        float[] column = new float[members.size()];
        for (int i = 0; i < median.length; i++) {
            for (int k = 0; k < all.length; k++) {
                column[k] = all[k][i];
            }
            Arrays.sort(column);
            int mid = column.length / 2;
            median[i] = column.length % 2 == 1 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
        }
        return new Output(median, first.size(), first.steps(), first.width());
    }

    /** An ensemble carries no single state: it is refused. */
    @Override
    public StatefulOutput forward(Batch batch, State initial) {
        throw new UnsupportedOperationException("an ensemble of " + members.size() + " models has no single state to "
                + "carry; run its members one by one");
    }

    /** The first member's parameters (each member has its own; {@link #members()} gives them all). */
    @Override
    public Parameters parameters() {
        return members.get(0).parameters();
    }

    @Override
    public void close() {
        members.forEach(Model::close);
    }
}
