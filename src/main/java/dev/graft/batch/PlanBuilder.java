package dev.graft.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.batch.StepArg.FileRef;
import dev.graft.batch.StepArg.Part;
import dev.graft.batch.StepArg.Text;
import java.nio.file.Files;
import dev.graft.surgery.CutSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns a plan file into a {@link Plan}, checking everything that can be checked before the first
 * step runs: each step parsed by its subcommand's own picocli spec, every file it reads present or
 * written by another step, no two steps writing one file, no cycle. What only the command itself can
 * check (merge: every join possible with its bridge) is {@link PlanRunner#check()}'s dry run.
 */
public final class PlanBuilder {
    /**
     * Options that name a file the step writes; every other file argument is read. graft's commands
     * name their outputs this way ({@code -o/--output}, train's {@code --history} and {@code --plot}).
     */
    static final Set<String> OUTPUT_OPTIONS = Set.of("--output", "--history", "--plot");

    /** Extensions that mark a word inside a text option (e.g. predict's {@code --input x=FILE}) as a file. */
    private static final Set<String> FILE_EXTENSIONS = Set.of("npy", "npz", "csv", "h5", "hdf5", "keras", "zip", "bin", "json", "png");

    private enum Role { INPUT, OUTPUT, TEXT }

    private record Classified(Role role, String key) {
    }

    private record Parsed(StepDraft draft, List<String> tokens, Map<String, Classified> values) {
    }

    private final Path planFile;
    private final Path dir;
    private final StepCommands commands;

    private PlanBuilder(Path planFile, StepCommands commands) {
        this.planFile = planFile;
        this.dir = planFile.getParent();
        this.commands = commands;
    }

    public static Plan build(Path planFile, StepCommands commands) {
        try {
            return new PlanBuilder(planFile, commands).build();
        } catch (PlanException e) {
            if (e.getMessage().startsWith(planFile + ":")) throw e;
            throw new PlanException(planFile + ": " + e.getMessage());
        }
    }

    private Plan build() {
        List<StepDraft> drafts = PlanReader.read(planFile, commands.kinds());
        List<Parsed> parsed = new ArrayList<>();
        for (StepDraft d : drafts) parsed.add(parse(d));

        Map<Path, Integer> producers = new HashMap<>();
        for (Parsed p : parsed) {
            for (Map.Entry<String, Classified> e : p.values().entrySet()) {
                if (e.getValue().role() != Role.OUTPUT) continue;
                Path id = resolve(e.getKey()).toAbsolutePath().normalize();
                Integer other = producers.putIfAbsent(id, p.draft().index());
                if (other != null && other != p.draft().index()) {
                    throw invalid(drafts.get(other - 1).label() + " and " + p.draft().label() + " both write " + resolve(e.getKey()));
                }
            }
        }

        List<Step> steps = new ArrayList<>();
        Map<Integer, Set<Integer>> dependsOn = new LinkedHashMap<>();
        for (Parsed p : parsed) {
            Step s = step(p, producers);
            steps.add(s);
            Set<Integer> deps = new TreeSet<>();
            for (FileRef in : s.inputs()) {
                Integer producer = producers.get(in.identity());
                if (producer != null && producer == s.index()) throw invalid(s.label() + ", key '" + in.key() + "': reads its own output " + in.path());
                if (producer != null) deps.add(producer);
            }
            dependsOn.put(s.index(), deps);
        }
        Plan plan = new Plan(planFile, steps, dependsOn);
        refuseCycles(plan);
        return plan;
    }

    private Parsed parse(StepDraft d) {
        CommandSpec spec = commands.spec(d.kind());
        List<String> tokens = d.body() != null && d.body().isObject() ? tokensOf(d, spec) : listTokens(d);
        ParseResult pr;
        try {
            pr = commands.parse(d.kind(), tokens);
        } catch (CommandLine.ParameterException e) {
            throw invalid(d.label() + ": " + e.getMessage());
        }
        Map<String, Classified> values = new HashMap<>();
        for (OptionSpec o : pr.matchedOptions()) classify(d, o, keyOf(o), isOutput(o), values);
        for (PositionalParamSpec p : pr.matchedPositionals()) classify(d, p, keyOf(p), false, values);
        return new Parsed(d, tokens, values);
    }

    private static List<String> listTokens(StepDraft d) {
        if (d.body() == null || d.body().isNull()) return List.of();
        if (!d.body().isArray()) throw invalid(d.label() + ": give the arguments as a list [a.h5, -o, out.h5] or a mapping {output: out.h5}");
        List<String> out = new ArrayList<>();
        for (JsonNode n : d.body()) {
            if (!n.isValueNode()) throw invalid(d.label() + ": argument " + (out.size() + 1) + " is not a single value");
            out.add(n.asText());
        }
        return out;
    }

    /** A mapping of long option names: positional arguments first (key {@code models}, {@code model}, {@code inputs} or {@code args}), then options as written. */
    private static List<String> tokensOf(StepDraft d, CommandSpec spec) {
        List<String> positionals = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.body().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            OptionSpec o = spec.findOption(key.startsWith("-") ? key : (key.length() == 1 ? "-" : "--") + key);
            if (o != null) {
                if (o.arity().max() == 0) {
                    if (!v.isBoolean()) throw invalid(d.label() + ", key '" + key + "': a flag, give true or false");
                    if (v.asBoolean()) options.add(o.longestName());
                } else if (v.isArray()) {
                    for (JsonNode x : v) {
                        options.add(o.longestName());
                        options.add(scalar(d, key, x));
                    }
                } else {
                    options.add(o.longestName());
                    options.add(scalar(d, key, v));
                }
            } else if (isPositionalKey(key, spec)) {
                if (v.isArray()) for (JsonNode x : v) positionals.add(scalar(d, key, x));
                else positionals.add(scalar(d, key, v));
            } else {
                List<String> known = new ArrayList<>();
                for (OptionSpec x : spec.options()) if (!x.usageHelp() && !x.versionHelp()) known.add(x.longestName().replaceFirst("^-+", ""));
                throw invalid(d.label() + ", key '" + key + "': not an option of graft " + d.kind() + " (options: " + String.join(", ", known) + ")");
            }
        }
        positionals.addAll(options);
        return positionals;
    }

    private static String scalar(StepDraft d, String key, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) throw invalid(d.label() + ", key '" + key + "': give a value or a list of values");
        return v.asText();
    }

    private static boolean isPositionalKey(String key, CommandSpec spec) {
        if (spec.positionalParameters().isEmpty()) return false;
        if (key.equals("args") || key.equals("inputs")) return true;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = label(p);
            if (key.equals(label) || key.equals(label + "s")) return true;
        }
        return false;
    }

    private static String label(PositionalParamSpec p) {
        return p.paramLabel().replaceAll("[<>\\[\\].]", "").toLowerCase(Locale.ROOT);
    }

    private static String keyOf(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    private static String keyOf(PositionalParamSpec p) {
        return label(p);
    }

    private static boolean isOutput(OptionSpec o) {
        for (String n : o.names()) if (OUTPUT_OPTIONS.contains(n)) return true;
        return false;
    }

    private static void classify(StepDraft d, ArgSpec a, String key, boolean output, Map<String, Classified> values) {
        Role role = output ? Role.OUTPUT : isPath(a) ? Role.INPUT : Role.TEXT;
        for (String v : a.originalStringValues()) {
            Classified before = values.putIfAbsent(v, new Classified(role, key));
            if (before != null && before.role() != Role.TEXT && role != Role.TEXT && before.role() != role) {
                throw invalid(d.label() + ", key '" + (role == Role.OUTPUT ? key : before.key()) + "': " + v + " is also an input of this step");
            }
        }
    }

    private static boolean isPath(ArgSpec a) {
        // A MODEL positional names model files, also where it is a String so it can carry merge's inline cut.
        if (a.isPositional() && "MODEL".equals(a.paramLabel())) return true;
        Class<?> t = a.type();
        if (Path.class.isAssignableFrom(t) || java.io.File.class.isAssignableFrom(t)) return true;
        for (Class<?> aux : a.auxiliaryTypes()) if (Path.class.isAssignableFrom(aux) || java.io.File.class.isAssignableFrom(aux)) return true;
        return false;
    }

    private Step step(Parsed p, Map<Path, Integer> producers) {
        StepDraft d = p.draft();
        List<StepArg> args = new ArrayList<>();
        List<FileRef> inputs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (String token : p.tokens()) {
            List<Part> parts = new ArrayList<>();
            String value = token;
            int eq = token.indexOf('=');
            if (token.startsWith("-") && eq > 0 && !p.values().containsKey(token)) {
                parts.add(new Text(token.substring(0, eq + 1)));
                value = token.substring(eq + 1);
            }
            Classified c = p.values().get(value);
            if (c == null) {
                parts.add(new Text(value));
            } else if (c.role() == Role.TEXT) {
                textParts(value, c.key(), producers, parts);
            } else if (c.role() == Role.INPUT && !namesFile(value, producers) && CutSpec.inlineCutStart(value) > 0) {
                int cut = CutSpec.inlineCutStart(value);
                parts.add(new FileRef(resolve(value.substring(0, cut)), false, c.key()));
                parts.add(new Text(value.substring(cut)));
            } else {
                parts.add(new FileRef(resolve(value), c.role() == Role.OUTPUT, c.key()));
            }
            for (Part part : parts) {
                if (!(part instanceof FileRef f)) continue;
                if (f.output()) {
                    outputs.add(f.path());
                } else {
                    if (!Files.exists(f.path()) && !producers.containsKey(f.identity())) {
                        throw invalid(d.label() + ", key '" + f.key() + "': " + f.path() + ": no such file, and no step writes it");
                    }
                    inputs.add(f);
                }
            }
            args.add(new StepArg(List.copyOf(parts)));
        }
        return new Step(d.index(), d.name(), d.kind(), args, inputs, outputs);
    }

    /** Files inside a text value: {@code a.npy,b.npy} (train's --validation) or {@code NAME=FILE} (predict's --input). */
    private void textParts(String value, String key, Map<Path, Integer> producers, List<Part> parts) {
        if (namesFile(value, producers)) {
            parts.add(new FileRef(resolve(value), false, key));
            return;
        }
        String[] pieces = value.split(",", -1);
        for (int i = 0; i < pieces.length; i++) {
            if (i > 0) parts.add(new Text(","));
            String piece = pieces[i];
            int eq = piece.indexOf('=');
            String prefix = eq > 0 ? piece.substring(0, eq + 1) : "";
            String file = piece.substring(prefix.length());
            if (!file.isEmpty() && (namesFile(file, producers) || hasFileExtension(file))) {
                if (!prefix.isEmpty()) parts.add(new Text(prefix));
                parts.add(new FileRef(resolve(file), false, key));
            } else {
                parts.add(new Text(piece));
            }
        }
    }

    private boolean namesFile(String s, Map<Path, Integer> producers) {
        try {
            Path p = resolve(s);
            return Files.isRegularFile(p) || producers.containsKey(p.toAbsolutePath().normalize());
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static boolean hasFileExtension(String s) {
        int dot = s.lastIndexOf('.');
        return dot > 0 && FILE_EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** A path as written in the plan, relative to the plan's folder: what the shell would name from here. */
    private Path resolve(String s) {
        Path p = Path.of(s);
        if (p.isAbsolute() || dir == null) return p.normalize();
        return dir.resolve(p).normalize();
    }

    private static void refuseCycles(Plan plan) {
        Map<Integer, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (Step s : plan.steps()) visit(plan, s.index(), state, new ArrayList<>());
    }

    private static void visit(Plan plan, int index, Map<Integer, Integer> state, List<Integer> path) {
        Integer st = state.get(index);
        if (st != null && st == 2) return;
        if (st != null && st == 1) {
            List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(index), path.size()));
            cycle.add(index);
            StringBuilder sb = new StringBuilder();
            for (int i : cycle) sb.append(sb.length() == 0 ? "" : " -> ").append(plan.step(i).label());
            throw invalid("steps read each other's outputs in a cycle: " + sb);
        }
        state.put(index, 1);
        path.add(index);
        for (int d : plan.dependsOn().get(index)) visit(plan, d, state, path);
        path.remove(path.size() - 1);
        state.put(index, 2);
    }

    private static PlanException invalid(String message) {
        return new PlanException(message);
    }
}
