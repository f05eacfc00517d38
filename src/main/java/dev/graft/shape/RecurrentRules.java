package dev.graft.shape;

import dev.graft.model.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Recurrent layers. The output is the last step, or every step with {@code return_sequences};
 * {@code return_state} appends the final states (LSTM: h and c; GRU and SimpleRNN: h), each
 * shaped like one step's output. Inputs after the first are initial states and don't change shapes.
 */
final class RecurrentRules {
    private RecurrentRules() {}

    static void register(RuleRegistry r) {
        r.add(call -> recurrent(call, call.config().requireLong("units", "output_dim"), 2), "LSTM", "CuDNNLSTM");
        r.add(call -> recurrent(call, call.config().requireLong("units", "output_dim"), 1),
                "GRU", "CuDNNGRU", "SimpleRNN");
        r.add(RecurrentRules::genericRnn, "RNN");
        r.add(call -> convRecurrent(call, 1), "ConvLSTM1D");
        r.add(call -> convRecurrent(call, 2), "ConvLSTM2D");
        r.add(call -> convRecurrent(call, 3), "ConvLSTM3D");
    }

    /** Number of state tensors each built-in cell carries. */
    private static int statesOfCell(InferenceCall call, String cellClass) {
        switch (cellClass) {
            case "LSTMCell":
            case "PeepholeLSTMCell":
                return 2;
            case "GRUCell":
            case "SimpleRNNCell":
                return 1;
            default:
                throw call.error("with cell '" + cellClass + "': output shape unknown to graft");
        }
    }

    /**
     * {@code RNN(cell)}: the output has the (last) cell's units; states are those of every cell,
     * for {@code StackedRNNCells} in order. Only Keras's own cells are understood.
     */
    private static List<Shape> genericRnn(InferenceCall call) {
        LayerConfig cell = call.config().wrapped("cell");
        List<LayerConfig> cells = new ArrayList<>();
        if (cell.className().equals("StackedRNNCells")) {
            var list = cell.get("cells");
            if (list == null || !list.isArray() || list.isEmpty()) throw cell.missing("cells");
            for (var c : list) cells.add(new LayerConfig(c.path("class_name").asText(), c.get("config")));
        } else {
            cells.add(cell);
        }
        List<Long> stateUnits = new ArrayList<>();
        for (LayerConfig c : cells) {
            int n = statesOfCell(call, c.className());
            long units = c.requireLong("units");
            stateUnits.addAll(Collections.nCopies(n, units));
        }
        long units = cells.get(cells.size() - 1).requireLong("units");
        return sequenceOutputs(call, units, stateUnits);
    }

    private static List<Shape> recurrent(InferenceCall call, long units, int states) {
        return sequenceOutputs(call, units, Collections.nCopies(states, units));
    }

    /** {@code time_major} (Keras 2) puts the time axis before the batch for the input and sequence output. */
    private static List<Shape> sequenceOutputs(InferenceCall call, long units, List<Long> stateUnits) {
        LayerConfig c = call.config();
        boolean timeMajor = c.bool(false, "time_major");
        Shape in = call.requireRank(call.firstInput(), 3,
                timeMajor ? "(timesteps, batch, features)" : "(batch, timesteps, features)");
        call.requireKnown(in.lastDim(), "last (features)", in);
        Long batch = in.dim(timeMajor ? 1 : 0);
        Long time = in.dim(timeMajor ? 0 : 1);
        List<Shape> out = new ArrayList<>();
        if (!c.bool(false, "return_sequences")) {
            out.add(Shape.of(batch, units));
        } else {
            out.add(timeMajor ? Shape.of(time, batch, units) : Shape.of(batch, time, units));
        }
        if (c.bool(false, "return_state")) {
            for (Long u : stateUnits) out.add(Shape.of(batch, u));
        }
        return out;
    }

    /**
     * ConvLSTM: a convolution applied at each time step, with states shaped like one step's output.
     * The time axis sits right after the batch in both data formats.
     */
    private static List<Shape> convRecurrent(InferenceCall call, int rank) {
        LayerConfig c = call.config();
        ConvGeometry g = ConvGeometry.read(c, rank);
        Shape in = call.requireRank(call.firstInput(), rank + 3, SpatialShape.layout(rank, g.format, "timesteps, "));
        List<Long> withoutTime = new ArrayList<>(in.dims());
        Long time = withoutTime.remove(1);
        // The rank was checked above, and errors should show the whole input, so the call itself
        // (not a per-step one) reports any problem with one step's shape.
        SpatialShape step = SpatialShape.split(call, Shape.of(withoutTime), rank, g.format);
        call.requireKnown(step.channels, "channels", in);
        Shape stepOut = ConvolutionRules.convolve(call, step, g)
                .withChannels(c.requireLong("filters", "nb_filter")).toShape(g.format);
        List<Shape> out = new ArrayList<>();
        if (c.bool(false, "return_sequences")) {
            List<Long> seq = new ArrayList<>(stepOut.dims());
            seq.add(1, time);
            out.add(Shape.of(seq));
        } else {
            out.add(stepOut);
        }
        if (c.bool(false, "return_state")) {
            out.add(stepOut);
            out.add(stepOut);
        }
        return out;
    }
}
