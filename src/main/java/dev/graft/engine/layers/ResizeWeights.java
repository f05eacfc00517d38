package dev.graft.engine.layers;

/**
 * TensorFlow's image resizing along one axis as a matrix {@code R} (out × in), so that resizing is {@code R · x}: what
 * {@code tf.image.resize(antialias=False)} computes, the definition of Keras's {@code Resizing} on its TensorFlow backend
 * (Keras's torch backend computes the same for these two modes: {@code nearest-exact} and {@code bilinear} without
 * aligned corners). Both use half-pixel centres, {@code scale = in / out}:
 * <ul>
 *   <li>nearest: output {@code o} copies input {@code min(floor((o + 0.5) · scale), in - 1)};</li>
 *   <li>bilinear: {@code c = (o + 0.5) · scale - 0.5}; it mixes inputs {@code max(floor(c), 0)} and {@code min(ceil(c), in - 1)}
 *       with weights {@code 1 - (c - floor(c))} and {@code c - floor(c)}.</li>
 * </ul>
 * Positions are computed in float, as TensorFlow's kernels do.
 */
public final class ResizeWeights {
    private ResizeWeights() {
    }

    public static double[][] nearest(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            int i = (int) Math.min((long) Math.floor((o + 0.5f) * scale), in - 1);
            r[o][Math.max(i, 0)] = 1;
        }
        return r;
    }

    public static double[][] bilinear(int in, int out) {
        double[][] r = new double[out][in];
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float c = (o + 0.5f) * scale - 0.5f;
            double floor = Math.floor(c);
            int lower = (int) Math.max(floor, 0);
            int upper = (int) Math.min(Math.ceil(c), in - 1);
            float lerp = (float) (c - floor);
            r[o][lower] += 1 - lerp;
            r[o][upper] += lerp;
        }
        return r;
    }
}
