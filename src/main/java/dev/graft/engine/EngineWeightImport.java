package dev.graft.engine;

import dev.graft.format.keras.KerasH5Writer;
import dev.graft.model.HostArray;
import dev.graft.model.Layer;
import dev.graft.model.ModelGraph;
import dev.graft.model.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.layers.wrappers.KerasBidirectional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hands each of DL4J's Keras layers its weights from graft's own arrays, under exactly the names
 * DL4J 1.0.0-M2.1's {@code KerasModelUtils.importWeights} gives them when it reads the Keras 2 file
 * graft used to write for it: the layer's name and a {@code :0} suffix stripped, Bidirectional
 * weights as {@code forward_}/{@code backward_} pairs, nested names read from the group the first
 * weight name points to, Keras 1's flat names. graft's plug-ins in engine/keras look weights up by
 * these names, so this follows DL4J's reading step by step (its quirks included: a weight outside
 * that group is not read) rather than deriving the names anew.
 */
final class EngineWeightImport {
    private static final String ROOT = "model_weights";

    private EngineWeightImport() {
    }

    /** Sets the weights of {@code layers} (DL4J's, by name) from {@code legacy}, a model in {@link KerasH5Writer#legacyForm}. */
    static void apply(ModelGraph legacy, Map<String, KerasLayer> layers, int kerasVersion, String backend)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        WeightGroups archive = new WeightGroups();
        for (Layer layer : legacy.layers()) archive.addLayer(ROOT + "/" + layer.name(), KerasH5Writer.weightNames(layer), layer.weights());
        importWeights(archive, layers, kerasVersion, backend);
    }

    // The steps of KerasModelUtils.importWeights (weightsRoot "model_weights"), reading from memory.
    private static void importWeights(WeightGroups archive, Map<String, KerasLayer> layers, int kerasVersion, String backend)
            throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        boolean includesSlash = false;
        for (String layerName : layers.keySet()) {
            if (layerName.contains("/")) includesSlash = true;
        }
        List<String> layerGroups = includesSlash ? new ArrayList<>(layers.keySet()) : archive.groups(ROOT);
        String rootPrefix = ROOT + "/";
        for (String layerName : layerGroups) {
            if ("top_level_model_weights".equals(layerName)) continue;
            String[] layerFragments = layerName.split("/");
            String attributeStr = archive.weightNames(rootPrefix + layerName);
            boolean foundTfGroups = Pattern.compile(":\\d+").matcher(attributeStr).find();
            String attributeJoinStr;
            if (foundTfGroups) {
                List<String> parts = new ArrayList<>();
                for (String part : attributeStr.split("/")) {
                    part = part.trim();
                    if (part.length() == 0) break;
                    if (Pattern.compile(":\\d+").matcher(part).find()) break;
                    parts.add(part);
                }
                attributeJoinStr = String.join("/", parts);
            } else {
                attributeJoinStr = layerFragments[0];
            }
            String baseAttributes = layerName + "/" + attributeJoinStr;
            List<String> layerParamNames;
            if (layerFragments.length > 1) {
                try {
                    layerParamNames = archive.dataSets(rootPrefix + baseAttributes);
                } catch (RuntimeException e) {
                    layerParamNames = archive.dataSets(rootPrefix + layerName);
                }
            } else if (foundTfGroups) {
                layerParamNames = archive.dataSets(rootPrefix + baseAttributes);
            } else if (kerasVersion == 2) {
                if ("theano".equals(backend) && layerName.contains("bidirectional")) {
                    for (String part : attributeStr.split("/")) {
                        if (part.contains("forward")) baseAttributes = baseAttributes + "/" + part;
                    }
                }
                if (layers.get(layerName).getNumParams() > 0) {
                    try {
                        layerParamNames = archive.dataSets(rootPrefix + baseAttributes);
                    } catch (RuntimeException e) {
                        layerParamNames = Collections.emptyList();
                    }
                } else {
                    layerParamNames = archive.dataSets(rootPrefix + layerName);
                }
            } else {
                layerParamNames = archive.dataSets(rootPrefix + layerName);
            }
            if (layerParamNames.isEmpty()) continue;
            if (!layers.containsKey(layerName)) {
                throw new InvalidKerasConfigurationException("Found weights for layer not in model (named " + layerName + ")");
            }
            KerasLayer layer = layers.get(layerName);
            if (layerParamNames.size() != layer.getNumParams() && kerasVersion == 2 && layer instanceof KerasBidirectional
                    && 2 * layerParamNames.size() != layer.getNumParams()) {
                throw new InvalidKerasConfigurationException("Found " + layerParamNames.size() + " weights for layer with "
                        + layer.getNumParams() + " trainable params (named " + layerName + ")");
            }
            Map<String, INDArray> weights = new HashMap<>();
            for (String layerParamName : layerParamNames) {
                String paramName = findParameterName(layerParamName, layerFragments);
                if (kerasVersion == 2 && layer instanceof KerasBidirectional) {
                    String backwardAttributes = baseAttributes.replace("forward", "backward");
                    weights.put("forward_" + paramName, read(archive, rootPrefix + baseAttributes + "/" + layerParamName));
                    weights.put("backward_" + paramName, read(archive, rootPrefix + backwardAttributes + "/" + layerParamName));
                } else if (foundTfGroups) {
                    weights.put(paramName, read(archive, rootPrefix + baseAttributes + "/" + layerParamName));
                } else if (layerFragments.length > 1) {
                    weights.put(paramName, read(archive, rootPrefix + "/" + layerName + "/" + layerFragments[0] + "/" + layerParamName));
                } else if (kerasVersion == 2) {
                    weights.put(paramName, read(archive, rootPrefix + baseAttributes + "/" + layerParamName));
                } else {
                    weights.put(paramName, read(archive, rootPrefix + "/" + layerName + "/" + layerParamName));
                }
            }
            layer.setWeights(weights);
        }
        Set<String> layerNames = new HashSet<>(layers.keySet());
        layerNames.removeAll(layerGroups);
        for (String layerName : layerNames) {
            if (layers.get(layerName).getNumParams() > 0) {
                throw new InvalidKerasConfigurationException("Could not find weights required for layer " + layerName);
            }
        }
    }

    /**
     * KerasModelUtils.findParameterName: the dataset name without the layer's name, a leading underscore and TensorFlow's
     * suffixes. The layer's name goes only as a prefix before an underscore (Keras 1's {@code dense_1_W}): DL4J removes its
     * first match anywhere, as a regular expression, so a layer named {@code embed} lost {@code embed} from
     * {@code embeddings} and its weights were not found.
     */
    static String findParameterName(String parameter, String[] fragmentList) {
        String layerName = fragmentList[fragmentList.length - 1];
        String parameterNameFound = parameter.startsWith(layerName + "_") ? parameter.substring(layerName.length()) : parameter;
        Matcher paramNameMatcher = Pattern.compile("^_(.+)$").matcher(parameterNameFound);
        if (paramNameMatcher.find()) parameterNameFound = paramNameMatcher.group(1);
        Matcher tfSuffixMatcher = Pattern.compile(":\\d+?$").matcher(parameterNameFound);
        if (tfSuffixMatcher.find()) parameterNameFound = tfSuffixMatcher.replaceFirst("");
        Matcher tfParamNbMatcher = Pattern.compile("_\\d+$").matcher(parameterNameFound);
        if (tfParamNbMatcher.find()) parameterNameFound = tfParamNbMatcher.replaceFirst("");
        return parameterNameFound;
    }

    /**
     * Hdf5Archive.readDataSet: the values as float32 in C order, converted as libhdf5 converts to
     * a native float (wider floats and integers rounded to nearest), in an array made by the same
     * factory calls (rank 1 to 5 only).
     */
    private static INDArray read(WeightGroups archive, String path) throws UnsupportedKerasConfigurationException {
        Weight w = archive.dataset(path);
        long[] shape = w.shape();
        if (shape.length < 1 || shape.length > 5) {
            throw new UnsupportedKerasConfigurationException("Cannot import weights with rank " + shape.length);
        }
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = Math.toIntExact(shape[i]);
        INDArray data = dims.length == 1 ? Nd4j.create(dims[0]) : Nd4j.create(dims);
        data.assign(Nd4j.create(floats(w.read()), shape, 'c'));
        return data;
    }

    private static float[] floats(HostArray a) {
        if (a.floatData() != null) return a.floatData();
        float[] out = new float[Math.toIntExact(a.size())];
        if (a.doubleData() != null) {
            double[] d = a.doubleData();
            for (int i = 0; i < out.length; i++) out[i] = (float) d[i];
        } else {
            long[] l = a.longData();
            for (int i = 0; i < out.length; i++) out[i] = (float) l[i];
        }
        return out;
    }
}
