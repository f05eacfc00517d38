package dev.graft.model;

/** The file formats graft reads, detected by content. */
public enum ModelFormat {
    KERAS_H5("Keras HDF5 (.h5)"),
    KERAS_ZIP("Keras 3 archive (.keras)"),
    DL4J_ZIP("DL4J ModelSerializer zip");

    private final String description;

    ModelFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean isKeras() {
        return this != DL4J_ZIP;
    }
}
