package dev.graft.inspect;

import dev.graft.GraftException;
import dev.graft.format.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every ordered pair of models and whether the first's output feeds the second's input: each model
 * read once, then {@link JoinReport} per pair, so checking 40 models is 40 reads, not 1,560.
 *
 * @param summaries per model, its summary, or null when it could not be read
 * @param problems  per model, why it could not be read, or null
 * @param joins     [from][to], null on the diagonal and where a model is unreadable
 */
public record JoinMatrix(List<Path> files, List<ModelSummary> summaries, List<String> problems, JoinReport[][] joins) {
    public static JoinMatrix of(List<Path> files) {
        List<ModelSummary> summaries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            try {
                summaries.add(ModelSummarizer.summarize(ModelFiles.read(f)));
                problems.add(null);
            } catch (GraftException e) {
                summaries.add(null);
                problems.add(e.userMessage());
            }
        }
        int n = files.size();
        JoinReport[][] joins = new JoinReport[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && summaries.get(i) != null && summaries.get(j) != null) joins[i][j] = JoinReport.of(summaries.get(i), summaries.get(j));
            }
        }
        return new JoinMatrix(List.copyOf(files), summaries, problems, joins);
    }

    public boolean allRead() {
        return problems.stream().allMatch(p -> p == null);
    }
}
