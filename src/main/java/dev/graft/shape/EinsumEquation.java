package dev.graft.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras 3's {@code EinsumDense} equation ({@code "ab,bc->ac"}, {@code "...b,bc->...c"}, {@code "ab...,bc->ac..."}) for
 * an input of a known rank, with any ellipsis spelled out as labels of its own (digits, which Keras's labels never are),
 * and the shapes Keras derives from it (Keras 3.15's {@code _analyze_einsum_string}): the kernel's, the bias's and the
 * output's. Every label of the output is in the input or the kernel, and every kernel label in the input or the output.
 */
public record EinsumEquation(String input, String kernel, String output) {
    private static final Pattern PLAIN = Pattern.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)");
    private static final Pattern LEFT = Pattern.compile("\\.\\.\\.([a-zA-Z]+),([a-zA-Z]+)->\\.\\.\\.([a-zA-Z]+)");
    private static final Pattern RIGHT = Pattern.compile("([a-zA-Z]{2,})\\.\\.\\.,([a-zA-Z]+)->([a-zA-Z]+)\\.\\.\\.");

    /**
     * @param inputRank the input's rank, batch included
     * @throws IllegalArgumentException when Keras would refuse the equation for this rank
     */
    public static EinsumEquation parse(String equation, int inputRank) {
        String e = equation.replace(" ", "");
        Matcher m;
        if ((m = PLAIN.matcher(e)).matches()) {
            if (m.group(1).length() != inputRank) throw new IllegalArgumentException("equation '" + equation + "' names " + m.group(1).length()
                    + " input axes, the input has " + inputRank);
            return checked(equation, m.group(1), m.group(2), m.group(3));
        }
        boolean left = (m = LEFT.matcher(e)).matches();
        if (left || (m = RIGHT.matcher(e)).matches()) {
            int elided = inputRank - m.group(1).length();
            if (elided < 0) throw new IllegalArgumentException("equation '" + equation + "' names more axes than the input's " + inputRank);
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < elided; i++) dots.append((char) ('0' + i));
            return left ? checked(equation, dots + m.group(1), m.group(2), dots + m.group(3))
                    : checked(equation, m.group(1) + dots, m.group(2), m.group(3) + dots);
        }
        throw new IllegalArgumentException("equation '" + equation + "' is not of the forms X,Y->Z, ...X,Y->...Z, X...,Y->Z...");
    }

    private static EinsumEquation checked(String equation, String in, String kernel, String out) {
        for (char c : out.toCharArray()) {
            if (in.indexOf(c) < 0 && kernel.indexOf(c) < 0) {
                throw new IllegalArgumentException("equation '" + equation + "': output axis '" + c + "' is in neither the input nor the kernel");
            }
        }
        for (char c : kernel.toCharArray()) {
            if (in.indexOf(c) < 0 && out.indexOf(c) < 0) {
                throw new IllegalArgumentException("equation '" + equation + "': kernel axis '" + c + "' is in neither the input nor the output");
            }
        }
        return new EinsumEquation(in, kernel, out);
    }

    /**
     * The output's shape: an axis of the input keeps its size (the batch's may be null), any other takes Keras's
     * {@code output_shape} at its place (for an equation without a leading ellipsis that list leaves the batch out).
     */
    public List<Long> outputShape(List<Long> inputShape, List<Long> partialOutputShape, String equation) {
        boolean leftElided = equation.replace(" ", "").startsWith("...");
        List<Long> out = new ArrayList<>();
        for (int j = 0; j < output.length(); j++) {
            char c = output.charAt(j);
            int i = input.indexOf(c);
            if (i >= 0) {
                out.add(inputShape.get(i));
                continue;
            }
            int elided = leftElided ? (int) output.chars().filter(Character::isDigit).count() : 0;
            int k = leftElided ? j - elided : j - 1;
            if (partialOutputShape == null || k < 0 || k >= partialOutputShape.size() || partialOutputShape.get(k) == null) {
                throw new IllegalArgumentException("output axis '" + c + "' has no size in output_shape " + partialOutputShape);
            }
            out.add(partialOutputShape.get(k));
        }
        return out;
    }

    /** The kernel's shape: each axis the size of the output's or the input's axis of the same label. */
    public long[] kernelShape(List<Long> inputShape, List<Long> outputShape) {
        long[] k = new long[kernel.length()];
        for (int j = 0; j < k.length; j++) {
            char c = kernel.charAt(j);
            int o = output.indexOf(c);
            Long d = o >= 0 ? outputShape.get(o) : inputShape.get(input.indexOf(c));
            if (d == null) throw new IllegalArgumentException("kernel axis '" + c + "' has an open size");
            k[j] = d;
        }
        return k;
    }

    /** The bias's shape for {@code biasAxes} (null: none): the output's axes from the first bias axis on, 1 where not a bias axis. */
    public long[] biasShape(String biasAxes, List<Long> outputShape) {
        if (biasAxes == null || biasAxes.isEmpty()) return null;
        int first = Integer.MAX_VALUE;
        for (char c : biasAxes.toCharArray()) {
            int o = output.indexOf(c);
            if (o < 0 || Character.isDigit(c)) throw new IllegalArgumentException("bias axis '" + c + "' is not an output axis of " + output);
            first = Math.min(first, o);
        }
        long[] b = new long[output.length() - first];
        for (int j = first; j < output.length(); j++) {
            Long d = outputShape.get(j);
            boolean biased = biasAxes.indexOf(output.charAt(j)) >= 0;
            if (biased && d == null) throw new IllegalArgumentException("bias axis '" + output.charAt(j) + "' has an open size");
            b[j - first] = biased ? d : 1;
        }
        return b;
    }
}
