package dev.graft.engine;

import java.util.Set;

/** Keras's own layer classes that graft knows by name but does not compute. */
final class KerasClasses {
    private static final Set<String> NOT_COMPUTED = Set.of(
            "ConvLSTM3D", "LocallyConnected2D",
            "TextVectorization", "StringLookup", "IntegerLookup", "CategoryEncoding", "Hashing",
            "Discretization", "ActivityRegularization",
            "Cropping", "RNN", "StackedRNNCells", "GRUCell", "LSTMCell",
            "SimpleRNNCell", "ZeroPadding", "RandomFlip", "RandomRotation", "RandomZoom", "RandomCrop",
            "RandomTranslation", "RandomContrast", "Highway", "MaxoutDense", "CuDNNLSTM", "CuDNNGRU",
            // DL4J 1.0.0-M2.1's Keras import has no mapping for these ("Unsupported keras layer type")
            // Keras 1's TimeDistributedDense: DL4J's import returns its steps as rows, (batch * steps, units)
            "TimeDistributedDense");

    private KerasClasses() {
    }

    static Set<String> notComputed() {
        return NOT_COMPUTED;
    }

    static boolean isBuiltIn(String className) {
        return NOT_COMPUTED.contains(className);
    }
}
