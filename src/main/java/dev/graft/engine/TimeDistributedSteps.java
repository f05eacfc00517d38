package dev.graft.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.engine.keras.KerasStepsBatchImport;
import dev.graft.format.Json;
import dev.graft.model.Layer;
import dev.graft.model.LayerCall;
import dev.graft.model.ModelGraph;
import dev.graft.model.Shape;
import dev.graft.model.TensorRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras's {@code TimeDistributed} around a layer that is not per-step by itself (a convolution, pooling, Flatten, ...,
 * or any layer on steps of rank 3 and more): the engine computes the wrapped layer on the steps as rows. The wrapper
 * becomes three layers: the steps into rows ({@code <name>_graft_rows}), the wrapped layer under the wrapper's name and
 * with its weights (normalised for the engine as a layer of the model would be, so training and write-back treat it as
 * the wrapper), and the rows into steps again ({@code <name>_graft_steps}), which every reader of the wrapper reads
 * instead ({@link #redirect}).
 */
final class TimeDistributedSteps {
    /** Wrapped classes DL4J's own TimeDistributed (feed-forward layers on sequences) does not compute. */
    private static final String NOT_PER_STEP = ".*(Conv|Pooling|Cropping|ZeroPadding|UpSampling|Flatten|Reshape|Permute).*";

    private TimeDistributedSteps() {
    }

    /** Whether the engine computes this TimeDistributed through rows, rather than as DL4J's per-step wrapper. */
    static boolean applies(Layer layer, Shape input) {
        if (!"TimeDistributed".equals(layer.className()) || input == null) return false;
        String inner = layer.config().path("layer").path("class_name").asText("");
        return input.rank() > 3 || inner.matches(NOT_PER_STEP);
    }

    /** The layers that compute it, the wrapped one normalised by {@code normalize} (the engine's own per-model rewrite). */
    static List<Layer> forEngine(Layer td, ModelGraph flat, Shape input, java.util.function.UnaryOperator<ModelGraph> normalize) {
        if (input.dim(1) == null) {
            throw new EngineException("layer '" + td.name() + "' (TimeDistributed) reads an open number of steps; graft computes a fixed one");
        }
        long steps = input.dim(1);
        TensorRef source = td.calls().get(0).inputs().get(0);
        if ("Flatten".equals(td.config().path("layer").path("class_name").asText())) {
            // a reshape of each step: DL4J's Flatten would take the network's batch size for the rows' count
            return List.of(stepsLayer(td.name(), KerasStepsBatchImport.FLATTEN_STEPS, steps, source));
        }
        String rows = td.name() + "_graft_rows";
        String stepInput = td.name() + "_graft_step";

        ObjectNode in = Json.object();
        var shape = in.putArray("batch_input_shape");
        shape.addNull();
        for (Long d : input.dims().subList(2, input.rank())) shape.add(d);
        in.put("dtype", "float32");
        in.put("name", stepInput);
        ObjectNode innerConfig = td.config().path("layer").path("config").deepCopy();
        innerConfig.put("name", td.name());
        Layer inner = new Layer(td.name(), td.config().path("layer").path("class_name").asText(), innerConfig,
                List.of(new LayerCall(List.of(TensorRef.of(stepInput)), Json.object())), td.weights(), null);
        ModelGraph one = flat.withLayers(List.of(new Layer(stepInput, "InputLayer", in, List.of(), List.of(), null), inner),
                List.of(TensorRef.of(stepInput)), List.of(TensorRef.of(td.name())));
        ModelGraph normalized = normalize.apply(one);

        List<Layer> out = new ArrayList<>();
        out.add(stepsLayer(rows, KerasStepsBatchImport.INTO_BATCH, steps, source));
        for (Layer l : normalized.layers()) {
            if (l.isInput()) continue;
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall c : l.calls()) {
                calls.add(new LayerCall(c.inputs().stream().map(r -> r.layer().equals(stepInput) ? TensorRef.of(rows) : r).toList(), c.kwargs()));
            }
            out.add(l.withCalls(calls));
        }
        out.add(stepsLayer(stepsName(td.name()), KerasStepsBatchImport.INTO_STEPS, steps, normalized.outputs().get(0)));
        return out;
    }

    /**
     * The model with every reader of a rewritten wrapper (in {@code wrappers}) reading its rows-into-steps layer instead,
     * but for the layers the rewrite made ({@code internal}), which read the wrapped layer itself.
     */
    static ModelGraph redirect(ModelGraph model, java.util.Set<String> wrappers, java.util.Set<String> internal) {
        if (wrappers.isEmpty()) return model;
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (internal.contains(l.name()) || l.calls().isEmpty()) {
                layers.add(l);
                continue;
            }
            List<LayerCall> calls = new ArrayList<>();
            for (LayerCall c : l.calls()) calls.add(new LayerCall(redirect(c.inputs(), wrappers), c.kwargs()));
            layers.add(l.withCalls(calls));
        }
        return model.withLayers(layers, model.inputs(), redirect(model.outputs(), wrappers));
    }

    private static List<TensorRef> redirect(List<TensorRef> refs, java.util.Set<String> wrappers) {
        return refs.stream().map(r -> wrappers.contains(r.layer()) ? TensorRef.of(stepsName(r.layer())) : r).toList();
    }

    private static String stepsName(String wrapper) {
        return wrapper + "_graft_steps";
    }

    private static Layer stepsLayer(String name, String cls, long steps, TensorRef from) {
        ObjectNode c = Json.object();
        c.put("name", name);
        c.put("graft_steps", steps);
        return new Layer(name, cls, c, List.of(new LayerCall(List.of(from), Json.object())), List.of(), null);
    }

}
