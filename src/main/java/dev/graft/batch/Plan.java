package dev.graft.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated plan: steps in the order the file wrote them, and for each step the steps whose
 * outputs it reads. The same value is printed ({@code --print-commands}, {@code --dry-run}) and run.
 *
 * @param dependsOn step index to the indexes of the steps it waits for
 */
public record Plan(Path file, List<Step> steps, Map<Integer, Set<Integer>> dependsOn) {
    public Step step(int index) {
        return steps.get(index - 1);
    }

    /** Steps so that each comes after the steps it reads from, otherwise in file order. */
    public List<Step> order() {
        List<Step> out = new ArrayList<>();
        boolean[] placed = new boolean[steps.size() + 1];
        while (out.size() < steps.size()) {
            for (Step s : steps) {
                if (placed[s.index()]) continue;
                if (dependsOn.get(s.index()).stream().allMatch(d -> placed[d])) {
                    placed[s.index()] = true;
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** Steps that (directly or through others) read what this step writes. */
    public Set<Integer> dependantsOf(int index) {
        Set<Integer> out = new java.util.TreeSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Step s : steps) {
                if (out.contains(s.index())) continue;
                for (int d : dependsOn.get(s.index())) {
                    if (d == index || out.contains(d)) {
                        grew = out.add(s.index());
                        break;
                    }
                }
            }
        }
        return out;
    }
}
