package dev.graft.model;

import java.nio.file.Path;

/**
 * Where a model came from: the file, the format graft detected, and the library that wrote it.
 *
 * @param producer        {@code keras}, {@code tf.keras}, {@code dl4j} or {@code graft}
 * @param producerVersion e.g. {@code 2.3.1}, {@code 2.2.4-tf}, {@code 3.15.1}, {@code 1.0.0-beta4}; null when unknown
 * @param backend         e.g. {@code tensorflow}, {@code torch}; null when unknown
 */
public record SourceInfo(Path path, ModelFormat format, String producer, String producerVersion, String backend, long sizeBytes) {

    /** Major version of the Keras that wrote the file (1, 2 or 3); 0 when not a Keras file. */
    public int kerasMajor() {
        if ("graft".equals(producer)) return format.isKeras() ? 2 : 0; // graft writes Keras 2 files
        if (format == null || !format.isKeras() || producerVersion == null || producerVersion.isEmpty()) return 0;
        char c = producerVersion.charAt(0);
        return Character.isDigit(c) ? c - '0' : 0;
    }
}
