package dev.graft.shape;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Maps Keras layer class names (current names, aliases and Keras 1 names) to their shape rules. */
final class RuleRegistry {
    private final Map<String, ShapeRule> rules = new TreeMap<>();

    RuleRegistry add(ShapeRule rule, String... classNames) {
        for (String name : classNames) {
            if (rules.putIfAbsent(name, rule) != null) {
                throw new IllegalStateException("two shape rules for " + name);
            }
        }
        return this;
    }

    ShapeRule find(String className) {
        return rules.get(className);
    }

    Set<String> classNames() {
        return Collections.unmodifiableSet(rules.keySet());
    }

    /** Every family of rules this package knows. */
    static RuleRegistry standard() {
        RuleRegistry r = new RuleRegistry();
        IdentityRules.register(r);
        CoreRules.register(r);
        ConvolutionRules.register(r);
        PoolingRules.register(r);
        ReshapingRules.register(r);
        ResizingRules.register(r);
        RecurrentRules.register(r);
        WrapperRules.register(r);
        MergeRules.register(r);
        AttentionRules.register(r);
        CodeLayerRules.register(r);
        return r;
    }
}
