package dev.graft.engine.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3.15's optimizers written out again, in double precision, straight from
 * {@code keras/src/optimizers/*.py} and {@code base_optimizer.py} (clipping, then weight decay, then
 * {@code update_step}): the independent reference the engine's training is compared with. Variables
 * are flat arrays; {@code step} updates all of them in place, as Keras's {@code apply_gradients}.
 */
final class KerasFormulas {
    private final String kind;
    private final Map<String, Double> a;
    private final Map<String, double[][]> slots = new HashMap<>();
    private int iterations;
    private double uProduct = 1;

    KerasFormulas(String kind, Map<String, Double> args) {
        this.kind = kind;
        this.a = args;
    }

    private double arg(String k, double dflt) {
        Double v = a.get(k);
        return v == null ? dflt : v;
    }

    private double[] slot(String name, int var, int n, double init) {
        double[][] s = slots.computeIfAbsent(name, k -> new double[8][]);
        if (s[var] == null) {
            s[var] = new double[n];
            java.util.Arrays.fill(s[var], init);
        }
        return s[var];
    }

    void step(List<double[]> vars, List<double[]> gradsIn) {
        double lr = arg("learning_rate", kind.equals("sgd") ? 0.01 : 0.001);
        List<double[]> grads = gradsIn.stream().map(double[]::clone).toList();
        // _clip_gradients
        Double clipnorm = a.get("clipnorm"), global = a.get("global_clipnorm"), clipvalue = a.get("clipvalue");
        if (clipnorm != null) {
            for (double[] g : grads) {
                double n = norm(g);
                for (int i = 0; i < g.length; i++) g[i] = g[i] * clipnorm / Math.max(n, clipnorm);
            }
        } else if (global != null) {
            double s = 0;
            for (double[] g : grads) s += norm(g) * norm(g);
            double scale = global * Math.min(1 / Math.sqrt(s), 1 / global);
            for (double[] g : grads) for (int i = 0; i < g.length; i++) g[i] *= scale;
        } else if (clipvalue != null) {
            for (double[] g : grads) for (int i = 0; i < g.length; i++) g[i] = Math.max(-clipvalue, Math.min(clipvalue, g[i]));
        }
        // _apply_weight_decay
        Double wd = a.containsKey("weight_decay") ? a.get("weight_decay") : kind.equals("adamw") ? Double.valueOf(0.004) : null;
        if (wd != null) for (double[] v : vars) for (int i = 0; i < v.length; i++) v[i] = v[i] - v[i] * wd * lr;
        if (kind.equals("nadam")) {
            uProduct = uProduct * arg("beta_1", 0.9) * (1 - 0.5 * Math.pow(0.96, iterations + 1));
        }
        for (int k = 0; k < vars.size(); k++) update(k, vars.get(k), grads.get(k), lr);
        iterations++;
    }

    private void update(int k, double[] v, double[] g, double lr) {
        int n = v.length;
        double t = iterations + 1;
        double b1 = arg("beta_1", 0.9), b2 = arg("beta_2", 0.999), eps = arg("epsilon", 1e-7);
        switch (kind) {
            case "sgd": {
                double mom = arg("momentum", 0);
                boolean nesterov = arg("nesterov", 0) != 0;
                if (mom == 0) {
                    for (int i = 0; i < n; i++) v[i] -= g[i] * lr;
                } else {
                    double[] m = slot("m", k, n, 0);
                    for (int i = 0; i < n; i++) {
                        m[i] = m[i] * mom - g[i] * lr;
                        v[i] += nesterov ? m[i] * mom - g[i] * lr : m[i];
                    }
                }
                return;
            }
            case "adam": case "adamw": {
                double[] m = slot("m", k, n, 0), vel = slot("v", k, n, 0);
                boolean ams = arg("amsgrad", 0) != 0;
                double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                for (int i = 0; i < n; i++) {
                    m[i] += (g[i] - m[i]) * (1 - b1);
                    vel[i] += (g[i] * g[i] - vel[i]) * (1 - b2);
                    double vv = vel[i];
                    if (ams) {
                        double[] vh = slot("vhat", k, n, 0);
                        vh[i] = Math.max(vh[i], vel[i]);
                        vv = vh[i];
                    }
                    v[i] -= m[i] * alpha / (Math.sqrt(vv) + eps);
                }
                return;
            }
            case "rmsprop": {
                double rho = arg("rho", 0.9), mom = arg("momentum", 0);
                boolean centered = arg("centered", 0) != 0;
                double[] vel = slot("velocity", k, n, 0);
                for (int i = 0; i < n; i++) {
                    vel[i] = rho * vel[i] + (1 - rho) * g[i] * g[i];
                    double den = vel[i] + eps;
                    if (centered) {
                        double[] ag = slot("average_gradient", k, n, 0);
                        ag[i] = rho * ag[i] + (1 - rho) * g[i];
                        den = vel[i] - ag[i] * ag[i] + eps;
                    }
                    double inc = lr * g[i] / Math.sqrt(den);
                    if (mom > 0) {
                        double[] mm = slot("momentum", k, n, 0);
                        mm[i] = mom * mm[i] + inc;
                        v[i] -= mm[i];
                    } else {
                        v[i] -= inc;
                    }
                }
                return;
            }
            case "adagrad": {
                double[] acc = slot("accumulator", k, n, arg("initial_accumulator_value", 0.1));
                for (int i = 0; i < n; i++) {
                    acc[i] += g[i] * g[i];
                    v[i] -= lr * g[i] / Math.sqrt(acc[i] + eps);
                }
                return;
            }
            case "adadelta": {
                double rho = arg("rho", 0.95);
                double[] ag = slot("accumulated_grad", k, n, 0), ad = slot("accumulated_delta_var", k, n, 0);
                for (int i = 0; i < n; i++) {
                    ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
                    double dv = -(Math.sqrt(ad[i] + eps) * g[i] / Math.sqrt(ag[i] + eps));
                    ad[i] = rho * ad[i] + (1 - rho) * dv * dv;
                    v[i] += lr * dv;
                }
                return;
            }
            case "adamax": {
                double[] m = slot("m", k, n, 0), u = slot("u", k, n, 0);
                double b1p = Math.pow(b1, t);
                for (int i = 0; i < n; i++) {
                    m[i] += (g[i] - m[i]) * (1 - b1);
                    u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
                    v[i] -= lr * m[i] / ((1 - b1p) * (u[i] + eps));
                }
                return;
            }
            case "nadam": {
                double uT = b1 * (1 - 0.5 * Math.pow(0.96, t));
                double uT1 = b1 * (1 - 0.5 * Math.pow(0.96, t + 1));
                double pT = uProduct, pT1 = uProduct * uT1;
                double b2p = Math.pow(b2, t);
                double[] m = slot("m", k, n, 0), vel = slot("v", k, n, 0);
                for (int i = 0; i < n; i++) {
                    m[i] += (g[i] - m[i]) * (1 - b1);
                    vel[i] += (g[i] * g[i] - vel[i]) * (1 - b2);
                    double mHat = uT1 * m[i] / (1 - pT1) + (1 - uT) * g[i] / (1 - pT);
                    double vHat = vel[i] / (1 - b2p);
                    v[i] -= mHat * lr / (Math.sqrt(vHat) + eps);
                }
                return;
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double x : g) s += x * x;
        return Math.sqrt(s);
    }
}
