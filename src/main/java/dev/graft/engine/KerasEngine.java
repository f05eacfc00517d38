package dev.graft.engine;

import dev.graft.engine.keras.KerasConv1DChannelsFirstImport;
import dev.graft.engine.keras.KerasConv1DChannelsLastImport;
import dev.graft.engine.keras.KerasDensePerStepImport;
import dev.graft.engine.keras.KerasFlattenSequenceImport;
import dev.graft.engine.keras.KerasGruImport;
import dev.graft.engine.keras.KerasLstmStateImport;
import dev.graft.engine.keras.KerasMaskingImport;
import dev.graft.engine.keras.KerasPooling1DChannelsLastImport;
import dev.graft.engine.keras.KerasReshapeImport;
import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.ModelGraph;
import dev.graft.surgery.Flattener;
import java.io.IOException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;

/**
 * Builds a DL4J network from a Keras model: flattened, rewritten for the engine, and handed to
 * DL4J's Keras importer in memory, as the model JSON graft would write in a Keras 2 file and the
 * weights graft read itself (no file, and DL4J's HDF5 reader never runs). graft owns the format;
 * DL4J only ever sees configurations graft wrote.
 */
public final class KerasEngine {
    private KerasEngine() {
    }

    /** The network for computing: DL4J's stock classes wherever they compute correctly, so its zips open anywhere. */
    public static ComputationGraph build(ModelGraph model) {
        return build(model, false);
    }

    /** The network for training: graft's own classes where DL4J's cannot backpropagate. */
    public static ComputationGraph buildForTraining(ModelGraph model) {
        return build(model, true);
    }

    /** DL4J's Keras plug-in registry is a static map: one build at a time in a JVM ({@code graft run -j}). */
    private static final Object BUILDING = new Object();

    private static ComputationGraph build(ModelGraph model, boolean training) {
        synchronized (BUILDING) {
            return buildAlone(model, training);
        }
    }

    private static ComputationGraph buildAlone(ModelGraph source, boolean training) {
        ModelGraph model = inKeras2Form(source);
        ModelGraph flat = SharedLayerCalls.expand(Flattener.flatten(model));
        ModelGraph engineModel = EngineNormalizer.normalize(flat, training);
        KerasGruImport.register();
        KerasConv1DChannelsFirstImport.register();
        dev.graft.engine.keras.KerasPReLUImport.register();
        KerasLstmStateImport.register();
        KerasMaskingImport.register();
        KerasDensePerStepImport.register();
        KerasConv1DChannelsLastImport.register();
        KerasPooling1DChannelsLastImport.register();
        dev.graft.engine.keras.KerasConv2DChannelsLastImport.register();
        dev.graft.engine.keras.KerasPooling2DChannelsLastImport.register();
        KerasFlattenSequenceImport.register();
        KerasReshapeImport.register();
        dev.graft.engine.keras.KerasActivationArgumentImports.register();
        dev.graft.engine.keras.KerasRescalingImport.register();
        dev.graft.engine.keras.KerasIdentityImport.register();
        dev.graft.engine.keras.KerasLayerNormalizationImport.register();
        dev.graft.engine.keras.KerasMultiHeadAttentionImport.register();
        dev.graft.engine.keras.KerasMinimumImport.register();
        dev.graft.engine.keras.KerasNormalizationImport.register();
        dev.graft.engine.keras.KerasConvolutionImport.register();
        dev.graft.engine.keras.KerasGroupNormalizationImport.register();
        dev.graft.engine.keras.KerasResizingImport.register();
        dev.graft.engine.keras.KerasUpSampling2DChannelsLastImport.register();
        dev.graft.engine.keras.KerasAttentionImport.register();
        dev.graft.engine.keras.KerasBidirectionalGruImport.register();
        dev.graft.engine.keras.KerasFeatureSliceImport.register();
        dev.graft.engine.keras.KerasStepsBatchImport.register();
        dev.graft.engine.keras.KerasSpatialEditImport.register();
        dev.graft.engine.keras.KerasGluImport.register();
        dev.graft.engine.keras.KerasEinsumDenseImport.register();
        dev.graft.engine.keras.KerasBatchNormalizationChannelsFirstImport.register();
        dev.graft.engine.keras.KerasFlattenVolumeImport.register();
        dev.graft.engine.keras.KerasSimpleRnnImport.register();
        dev.graft.engine.keras.KerasStepKeepImport.register();
        dev.graft.engine.keras.KerasTensorOpImport.register();
        dev.graft.engine.keras.KerasConvLstmImport.register();
        dev.graft.engine.keras.KerasConvLstmPartImport.register();
        boolean keras1 = model.source() != null && model.source().kerasMajor() == 1;
        try {
            ModelGraph legacy = KerasH5Writer.legacyForm(engineModel);
            String json = Dl4jModelJson.of(legacy, keras1 ? model.source().producerVersion() : KerasH5Writer.KERAS_VERSION);
            KerasModel imported = new KerasModel().modelBuilder().modelJson(json).enforceTrainingConfig(false).buildModel();
            EngineWeightImport.apply(legacy, imported.getLayers(), imported.getKerasMajorVersion(), imported.getKerasBackend());
            // What KerasModel.getComputationGraph does, with copies for activation layers whose input others read too.
            ComputationGraphConfiguration conf = imported.getComputationGraphConfiguration();
            SharedInputCopies.insert(conf);
            BatchNormOutputs.apply(conf);
            if (training) BatchNormFixedParams.apply(conf, engineModel);
            if (training) MergeAxes.countedFromTheFront(conf, flat);
            if (training) RankTwoInputs.apply(conf, flat);
            if (training) TrainingDropout.apply(conf, engineModel, imported.getOutputTypes());
            SameDiffReadOutputs.apply(conf);
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            KerasModelUtils.copyWeightsToModel(graph, imported.getLayers());
            if (!keras1) ChannelsLastUpsampling.apply(graph);
            return graph;
        } catch (UnsupportedKerasConfigurationException | InvalidKerasConfigurationException e) {
            throw new EngineException(EngineFailures.naming(engineModel(model), "the engine cannot build this model: " + firstLine(e.getMessage())), e);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            // DL4J reports a plug-in constructor's refusal as a RuntimeException about the constructor's
            // signature, with the refusal as its cause; and its importer fails outright in some layer
            // combinations.
            Throwable refusal = kerasRefusal(e);
            if (refusal != null) {
                throw new EngineException(EngineFailures.naming(engineModel(model), "the engine cannot build this model: " + firstLine(refusal.getMessage())), e);
            }
            throw new EngineException(EngineFailures.naming(engineModel(model), "the engine (DL4J 1.0.0-M2.1) failed to build this model: "
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())), e);
        } catch (IOException e) {
            throw new EngineException("cannot prepare the model for the engine: " + e.getMessage(), e);
        }
    }

    /**
     * A Keras 1 model as the Keras 2 model it upgrades to (the form {@code convert} writes, weights bit for bit): DL4J's
     * own reading of Keras 1 configurations fails on some (a tf-ordered CNN's Flatten gets no input size). A model graft
     * does not upgrade (Theano ordering, Keras 1's Merge, ...) keeps DL4J's Keras 1 reading.
     */
    private static ModelGraph inKeras2Form(ModelGraph model) {
        if (model.source() == null || model.source().kerasMajor() != 1) return model;
        try {
            return dev.graft.format.keras.Keras1Upgrade.apply(model);
        } catch (dev.graft.GraftException e) {
            return model;
        }
    }

    private static java.util.List<String> engineModel(ModelGraph model) {
        return Flattener.flatten(model).layers().stream().map(dev.graft.model.Layer::name).toList();
    }

    private static Throwable kerasRefusal(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof UnsupportedKerasConfigurationException || c instanceof InvalidKerasConfigurationException) return c;
        }
        return null;
    }

    /** DL4J's Keras exceptions append a documentation or issue-tracker link, some a config dump: the first sentence is what matters. */
    static String firstLine(String message) {
        if (message == null) return "unknown reason";
        String m = message.split("\n")[0];
        for (String link : new String[] {". For more information", ". Please file an issue"}) {
            int at = m.indexOf(link);
            if (at > 0) m = m.substring(0, at);
        }
        return m;
    }
}
