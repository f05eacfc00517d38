package dev.graft.format.keras;

/** A model configuration graft cannot make sense of; the reader adds the file name. */
public class KerasConfigException extends RuntimeException {
    public KerasConfigException(String message) {
        super(message);
    }
}
