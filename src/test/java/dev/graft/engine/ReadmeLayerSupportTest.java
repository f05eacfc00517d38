package dev.graft.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's list of computed and refused layers is the one the code generates. */
class ReadmeLayerSupportTest {
    @Test
    void readmeListsTheLayersTheCodeSupports() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(LayerSupportDoc.section()), "README.md's layer list is out of date: run bin/make-docs");
    }
}
