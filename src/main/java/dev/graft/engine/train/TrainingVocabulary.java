package dev.graft.engine.train;

import dev.graft.GraftException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one vocabulary of training settings that {@code merge}, {@code adapt} and {@code train}
 * share: the optimizers, losses and metrics graft trains with, in Keras's names, and their
 * arguments. Command lines validate against it before any work starts; each check throws a
 * {@link GraftException} with one line naming the value and what is accepted (a command maps it to
 * its usage exit code).
 */
public final class TrainingVocabulary {
    private TrainingVocabulary() {
    }

    /** {@code sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam}. */
    public static List<String> optimizers() {
        return OptimizerKind.keys();
    }

    /** The Keras names of the losses (aliases such as {@code mse} are accepted too). */
    public static List<String> losses() {
        return Arrays.stream(LossKind.values()).map(LossKind::kerasName).toList();
    }

    /** The metrics {@code train} reports. */
    public static List<String> metrics() {
        return Metric.NAMES;
    }

    /** The optimizer a name means (Keras's names in any case, e.g. {@code Adam}, {@code RMSprop}). */
    public static OptimizerKind optimizer(String name) {
        return OptimizerKind.parse(name);
    }

    /** The loss a name means (Keras's names, aliases and class names, e.g. {@code mse}, {@code BinaryCrossentropy}). */
    public static LossKind loss(String name) {
        return LossKind.parse(name);
    }

    /** Refuses a metric name graft does not compute. */
    public static void metric(String name) {
        Metric.parse(name, LossKind.BINARY_CROSSENTROPY);
    }

    /** Refuses a learning rate that is not a positive finite number. */
    public static void learningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new GraftException("learning rate " + lr + " is not a positive number");
    }

    /**
     * Refuses optimizer arguments the optimizer does not have or values graft does not implement
     * ({@code KEY -> VALUE} as typed, {@code none} for Keras's None).
     */
    public static void optimizerArguments(String optimizer, Map<String, String> args) {
        OptimizerSettings.resolve(optimizer(optimizer), null, null, args, "--optimizer-arg");
    }

    /** Refuses loss arguments the loss does not have or values graft does not implement. */
    public static void lossArguments(String loss, Map<String, String> args) {
        var node = dev.graft.format.Json.object();
        node.put("class_name", loss(loss).kerasName());
        var config = node.putObject("config");
        args.forEach((k, v) -> config.set(k, LossSettings.argument(v)));
        LossSettings.parse(node, "--loss-arg");
    }

    /** Keras's record of an optimizer at its defaults, as {@code compile(optimizer=name)} stores it. */
    public static com.fasterxml.jackson.databind.node.ObjectNode optimizerConfig(String name) {
        return OptimizerSettings.defaults(optimizer(name)).toKerasConfig(null);
    }
}
