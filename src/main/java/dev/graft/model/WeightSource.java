package dev.graft.model;

/**
 * Where a weight's values come from. Values are read only when needed, so inspecting or
 * splicing a large model never holds all of its weights in memory at once.
 */
public interface WeightSource {
    HostArray read();
}
