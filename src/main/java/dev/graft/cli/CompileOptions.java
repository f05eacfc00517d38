package dev.graft.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training configuration options shared by {@code merge} (which records them in the hybrid),
 * {@code train} (which trains with them) and {@code adapt}: one vocabulary of optimizers and
 * losses, checked while the command line is parsed ({@link OptionValues}). Each is null when not
 * given: the model's stored configuration applies.
 */
public final class CompileOptions {
    @Option(names = "--optimizer", paramLabel = "NAME", converter = OptionValues.Optimizer.class,
            description = "sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax or nadam, each with Keras 3's update rule (default: the model's, else adam), e.g. --optimizer adam.")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "RATE", converter = OptionValues.PositiveNumber.class,
            description = "Learning rate, above 0 (default: the model's, else the optimizer's Keras default).")
    Double learningRate;

    @Option(names = "--loss", paramLabel = "NAME", converter = OptionValues.Loss.class,
            description = "binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, mean_squared_error (mse), "
                    + "mean_absolute_error (mae), mean_squared_logarithmic_error, hinge, squared_hinge, kl_divergence, poisson, huber or log_cosh "
                    + "(default: the model's), e.g. --loss categorical_crossentropy.")
    String loss;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME", converter = OptionValues.MetricName.class, description = "Metrics (default: the model's), e.g. --metrics accuracy or --metrics accuracy,mae.")
    List<String> metrics;

    public String optimizer() {
        return optimizer;
    }

    public Double learningRate() {
        return learningRate;
    }

    public String loss() {
        return loss;
    }

    public List<String> metrics() {
        return metrics;
    }
}
