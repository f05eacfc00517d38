package dev.graft.format.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.format.ModelFileException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.exc.InvalidTypeIdException;

/**
 * Parses a zip's configuration JSON with DL4J's own deserializers (which read every format since
 * 0.5), turning their failures into one line. The important one: a class DL4J cannot find, which
 * is a custom layer, vertex or preprocessor the model's author wrote and graft does not have.
 */
final class Dl4jConfigs {
    private Dl4jConfigs() {
    }

    static MultiLayerConfiguration multiLayer(Dl4jZip zip) {
        try {
            return MultiLayerConfiguration.fromJson(zip.configText());
        } catch (RuntimeException e) {
            throw translate(zip, e);
        }
    }

    static ComputationGraphConfiguration graph(Dl4jZip zip) {
        try {
            return ComputationGraphConfiguration.fromJson(zip.configText());
        } catch (RuntimeException e) {
            throw translate(zip, e);
        }
    }

    private static ModelFileException translate(Dl4jZip zip, RuntimeException e) {
        InvalidTypeIdException unknownType = Dl4jProblems.causeOf(e, InvalidTypeIdException.class);
        if (unknownType != null) return new ModelFileException(zip.file(), unknownTypeMessage(zip.config(), unknownType), e);
        String activation = unknownLegacyActivation(zip.config());
        if (activation != null) {
            // DL4J looks legacy activation names up in a map and fails with a null pointer on a miss.
            return new ModelFileException(zip.file(), Dl4jZip.CONFIGURATION + " (pre-0.7.2 JSON format) names an activation function '"
                    + activation + "' that " + Dl4jProblems.dl4j() + " does not know (a custom activation?)", e);
        }
        return new ModelFileException(zip.file(), Dl4jZip.CONFIGURATION + " cannot be read by " + Dl4jProblems.dl4j() + ": "
                + Dl4jProblems.rootCause(e), e);
    }

    private static String unknownTypeMessage(JsonNode config, InvalidTypeIdException e) {
        String kind = kindOf(e.getBaseType() == null ? null : e.getBaseType().getRawClass());
        String typeId = e.getTypeId();
        if (typeId != null && typeId.contains(".")) {
            return "needs the custom DL4J " + kind + " class '" + typeId + "', which is not on graft's classpath";
        }
        if (typeId != null) return Dl4jZip.CONFIGURATION + " names a DL4J " + kind + " type '" + typeId + "' that " + Dl4jProblems.dl4j() + " does not know";
        // Before 1.0.0-beta, DL4J wrote a layer as {"<type name>": {...}} instead of naming its class;
        // DL4J reports only that the class is missing, so the name is looked up where it failed.
        String legacyName = legacyTypeName(config, e);
        return Dl4jZip.CONFIGURATION + " (pre-1.0.0-beta JSON format) has a " + kind
                + (legacyName == null ? "" : " of type '" + legacyName + "'")
                + " that " + Dl4jProblems.dl4j() + " does not know (a custom class?)";
    }

    private static String kindOf(Class<?> base) {
        if (base == null) return "class";
        if (Layer.class.isAssignableFrom(base)) return "layer";
        if (GraphVertex.class.isAssignableFrom(base)) return "graph vertex";
        if (InputPreProcessor.class.isAssignableFrom(base)) return "input preprocessor";
        if (IActivation.class.isAssignableFrom(base)) return "activation function";
        if (ILossFunction.class.isAssignableFrom(base)) return "loss function";
        if (IUpdater.class.isAssignableFrom(base)) return "updater";
        return base.getSimpleName();
    }

    /** The single field name of the object at the exception's JSON path, when it is a legacy wrapper. */
    private static String legacyTypeName(JsonNode config, JsonMappingException e) {
        JsonNode node = config;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (node == null) return null;
            if (ref.getFieldName() != null) {
                node = node.get(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                node = node.get(ref.getIndex());
            }
        }
        if (node == null || !node.isObject() || node.size() != 1) return null;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        Map.Entry<String, JsonNode> only = fields.next();
        return only.getValue().isObject() ? only.getKey() : null;
    }

    /** A legacy {@code "activationFunction": "<name>"} that is not one of DL4J's activations, or null. */
    private static String unknownLegacyActivation(JsonNode node) {
        if (node.isObject() && node.path("activationFunction").isTextual()) {
            String name = node.get("activationFunction").asText();
            boolean known = Arrays.stream(Activation.values()).anyMatch(a -> a.toString().equalsIgnoreCase(name));
            if (!known) return name;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                String found = unknownLegacyActivation(child);
                if (found != null) return found;
            }
        }
        return null;
    }
}
