package dev.graft.cli;

import dev.graft.model.TrainingVocabulary;
import java.util.Locale;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that check an option's value while picocli parses the command line, so a bad value
 * is a usage error (exit 2, one line) before any file is read. Shared by every command: one
 * vocabulary of optimizers and losses, one rule for counts, rates and fractions.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** A whole number of at least 1 (epochs, batch size, patience). */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n < 1) throw new TypeConversionException("must be at least 1, got " + value);
            return n;
        }
    }

    /** A finite number above 0 (a learning rate). */
    static final class PositiveNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (!(d > 0) || Double.isInfinite(d)) throw new TypeConversionException("must be a number above 0, got " + value);
            return d;
        }
    }

    /** A fraction strictly between 0 and 1 (a validation split). */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (!(d > 0 && d < 1)) throw new TypeConversionException("must be a fraction between 0 and 1 (e.g. 0.2), got " + value);
            return d;
        }
    }

    /** One of graft's optimizers, in lower case: the names {@code merge}, {@code train} and {@code adapt} share. */
    static final class Optimizer implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (TrainingVocabulary.optimizerClass(value) == null) {
                throw new TypeConversionException("unknown optimizer '" + value + "': use one of " + TrainingVocabulary.optimizerList());
            }
            return value.trim().toLowerCase(Locale.ROOT);
        }
    }

    /** One of graft's losses, as Keras names it ({@code mse} gives {@code mean_squared_error}). */
    static final class Loss implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            // one loss, or one per model output (train): NAME,NAME in output order or OUTPUT=NAME,...
            List<String> parts = new java.util.ArrayList<>();
            for (String part : value.split(",", -1)) {
                int eq = part.indexOf('=');
                String keras = TrainingVocabulary.loss(part.substring(eq + 1).trim());
                if (keras == null) throw new TypeConversionException("unknown loss '" + part.substring(eq + 1) + "': use one of " + TrainingVocabulary.lossList());
                parts.add(eq > 0 ? part.substring(0, eq).trim() + "=" + keras : keras);
            }
            return String.join(",", parts);
        }
    }

    /** One of the metrics {@code train} reports ({@code accuracy}, {@code mae}, ...), as typed. */
    static final class MetricName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!TrainingVocabulary.isMetric(value)) {
                throw new TypeConversionException("unknown metric '" + value + "': use one of " + String.join(", ", TrainingVocabulary.metrics()));
            }
            return value.trim();
        }
    }

    /** {@code --class-weight}: {@code balanced} or {@code CLASS=WEIGHT,...}. */
    static final class ClassWeight implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                dev.graft.engine.train.ClassWeights.parse(value);
            } catch (dev.graft.GraftException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value.trim();
        }
    }

    /** {@code --lr-schedule}: step:N:F, exponential:F, cosine or plateau:P:F. */
    static final class LrSchedule implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                dev.graft.engine.train.LearningRateSchedule.parse(value);
            } catch (dev.graft.GraftException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value.trim();
        }
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }
}
