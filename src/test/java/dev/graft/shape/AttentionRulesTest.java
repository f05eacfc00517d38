package dev.graft.shape;

import static dev.graft.shape.ShapeAssertions.assertShape;
import static dev.graft.shape.ShapeAssertions.error;
import static dev.graft.shape.ShapeAssertions.one;
import static dev.graft.shape.ShapeAssertions.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttentionRulesTest {

    @Test
    void attentionGivesOneValuePerQueryStep() {
        // query (8 steps, 16), value (12 steps, 32): (None, 8, 32)
        assertShape("(None, 8, 32)", one("Attention", "{'use_scale': false, 'score_mode': 'dot'}", s(8, 16), s(12, 32)));
        assertShape("(None, 8, 32)", one("AdditiveAttention", "{'use_scale': true}", s(8, 32), s(12, 32), s(12, 32)));
        assertEquals("Attention takes [query, value] or [query, value, key], got 1 input",
                error("Attention", "{}", s(8, 16)));
    }

    @Test
    void multiHeadAttentionProjectsToOutputShapeOrTheQueryFeatures() {
        String config = "{'num_heads': 4, 'key_dim': 16, 'value_dim': 16, 'dropout': 0.0, 'use_bias': true,"
                + " 'output_shape': null, 'attention_axes': [1]}";
        assertShape("(None, 8, 64)", one("MultiHeadAttention", config, s(8, 64), s(12, 32)));
        assertShape("(None, 8, 10)", one("MultiHeadAttention", config.replace("'output_shape': null", "'output_shape': 10"),
                s(8, 64), s(12, 32)));
        assertShape("(None, 8, 2, 5)", one("MultiHeadAttention",
                config.replace("'output_shape': null", "'output_shape': [2, 5]"), s(8, 64), s(12, 32)));
        assertEquals("MultiHeadAttention needs an input of rank 3 or more (batch, query steps, ..., features)"
                        + " for the query, got (None, 64)",
                error("MultiHeadAttention", config, s(64), s(12, 32)));
    }
}
