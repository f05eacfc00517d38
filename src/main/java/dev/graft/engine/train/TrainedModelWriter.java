package dev.graft.engine.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.GraftException;
import dev.graft.GraftInfo;
import dev.graft.engine.KerasWriteback;
import dev.graft.format.Json;
import dev.graft.format.keras.KerasModelWriter;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import dev.graft.surgery.OutputTarget;

/**
 * Writes a trained model, atomically: a DL4J zip always; a Keras {@code .h5} or {@code .keras} when the model came
 * from Keras, with the trained weights put back in Keras's layout, the untouched layers copied
 * bit for bit, and the training configuration of this run.
 */
public final class TrainedModelWriter {
    private TrainedModelWriter() {
    }

    /** Refuses, before any training, an output format the model cannot be written in. */
    public static void checkTarget(ModelGraph model, OutputTarget target) {
        if (target.format() == OutputTarget.Format.ZIP) return;
        if (TrainJob.isDl4j(model)) {
            throw new GraftException(target.path() + ": a DL4J model trains into a .zip; .h5 holds models that came from Keras");
        }
        if (model.source() != null && model.source().kerasMajor() == 1) {
            throw new GraftException(target.path() + ": a Keras " + model.source().producerVersion()
                    + " model's layer configurations do not fit the Keras 2 file graft writes; write the trained model as .zip");
        }
    }

    /**
     * @param run what the command knows of this run (the command, data files with checksums,
     *            options); this class adds what training decided (loss, optimizer, epochs, metrics)
     */
    public static void write(ModelGraph model, TrainJob.Outcome outcome, OutputTarget target, ObjectNode run) {
        ObjectNode provenance = provenance(model, outcome, run);
        if (target.format() == OutputTarget.Format.ZIP) {
            outcome.model().writeZip(target.path(), provenance);
            return;
        }
        checkTarget(model, target);
        ModelGraph trained = KerasWriteback.apply(Flattener.flatten(model), outcome.result().graph(), outcome.trained())
                .withTrainingConfig(outcome.trainingConfig())
                .withProvenance(provenance);
        KerasModelWriter.write(trained, target);
    }

    /** The model's provenance (a hybrid's donors and bridges) with this training run added. */
    static ObjectNode provenance(ModelGraph model, TrainJob.Outcome outcome, ObjectNode given) {
        ObjectNode p = model.provenance() == null ? Json.object() : model.provenance().deepCopy();
        if (!p.has("graft_version")) p.put("graft_version", GraftInfo.VERSION);
        ArrayNode runs = p.has("training") && p.get("training").isArray() ? (ArrayNode) p.get("training") : p.putArray("training");
        ObjectNode run = runs.addObject();
        run.put("graft_version", GraftInfo.VERSION);
        if (given != null) run.setAll(given.deepCopy());
        run.put("loss", outcome.loss().kerasName());
        run.put("optimizer", outcome.optimizer());
        run.put("learning_rate", outcome.learningRate());
        run.put("epochs", outcome.result().history().size());
        run.put("best_epoch", outcome.result().bestEpoch());
        ArrayNode layers = run.putArray("trained_layers");
        outcome.trained().forEach(layers::add);
        run.put("stopped_early", outcome.result().stoppedEarly());
        ObjectNode fin = run.putObject("final");
        outcome.result().best().train().forEach(fin::put);
        outcome.result().best().validation().forEach((k, v) -> fin.put("val_" + k, v));
        return p;
    }
}
