package dev.graft.shape;

/** Where the channel axis sits in image-like and sequence tensors. */
enum DataFormat {
    CHANNELS_LAST,
    CHANNELS_FIRST;

    /**
     * Reads Keras 2/3 {@code data_format} and Keras 1 {@code dim_ordering} values. Keras resolves
     * "use the backend default" before saving, so an absent value only occurs in layers that never
     * had the option (Keras 1 Conv1D, recurrent layers), which are channels-last.
     */
    static DataFormat parse(String className, String value) {
        if (value == null) return CHANNELS_LAST;
        switch (value) {
            case "channels_last":
            case "tf":
            case "default":
                return CHANNELS_LAST;
            case "channels_first":
            case "th":
                return CHANNELS_FIRST;
            default:
                throw new ShapeInferenceException(className + ": unknown data format '" + value
                        + "' (expected channels_last, channels_first, or Keras 1 'tf'/'th')");
        }
    }
}
