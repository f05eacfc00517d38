package dev.graft.surgery;

import dev.graft.format.Checksums;
import dev.graft.format.ModelFiles;
import dev.graft.model.ModelGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Reads the donor files of a merge; their checksums are computed in parallel, since hashing large donors dominates. */
public final class Donors {
    private Donors() {
    }

    public static List<Donor> load(List<Path> files) {
        List<CompletableFuture<String>> hashes = new ArrayList<>();
        for (Path p : files) hashes.add(CompletableFuture.supplyAsync(() -> Checksums.sha256(p)));
        List<ModelGraph> models = new ArrayList<>();
        for (Path p : files) models.add(ModelFiles.read(p));
        List<Donor> donors = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) donors.add(new Donor(files.get(i), models.get(i), hashes.get(i).join()));
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return donors;
    }
}
