package dev.graft.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The files under src/test/resources/data, written by NumPy and Python (see make_fixtures.py there). */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String relative) {
        URL url = Fixtures.class.getResource("/data/" + relative);
        if (url == null) throw new IllegalArgumentException("missing fixture " + relative + " (run make_fixtures.py)");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
