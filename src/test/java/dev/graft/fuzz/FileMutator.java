package dev.graft.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A deterministic mutator for model files: the same seed file and seed number always give the same
 * bytes, so any failure it finds is a one-line regression recipe ({@code file seed}). It flips
 * bits, writes boundary integers (sizes, offsets, 2^40), truncates and duplicates blocks; inside a
 * zip (.keras, DL4J) it mutates one member and re-packs the archive, so the damage reaches the
 * HDF5 or JSON parser instead of stopping at a CRC check.
 *
 * <p>{@code main(outDir, count, seed, files...)} writes mutated files for {@code bench/fuzz.sh}.
 */
public final class FileMutator {
    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL,
        1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

    private FileMutator() {
    }

    public static byte[] mutate(byte[] original, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean zip = original.length > 4 && original[0] == 'P' && original[1] == 'K';
        if (zip && r.nextInt(10) < 7) {
            try {
                byte[] repacked = mutateMember(original, r);
                if (repacked != null) return repacked;
            } catch (IOException e) {
                // not a zip we can re-pack: mutate its bytes instead
            }
        }
        return mutateBytes(original, r);
    }

    static byte[] mutateBytes(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        if (b.length == 0) return b;
        int rounds = 1 + r.nextInt(4);
        for (int round = 0; round < rounds; round++) {
            switch (r.nextInt(6)) {
                case 0: {
                    int bits = 1 + r.nextInt(4);
                    for (int i = 0; i < bits; i++) {
                        int at = r.nextInt(b.length);
                        b[at] ^= (byte) (1 << r.nextInt(8));
                    }
                    break;
                }
                case 1: {
                    int n = 1 + r.nextInt(8);
                    for (int i = 0; i < n; i++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    break;
                }
                case 2: {
                    long v = INTERESTING[r.nextInt(INTERESTING.length)];
                    int width = new int[] {1, 2, 4, 8}[r.nextInt(4)];
                    int at = r.nextInt(Math.max(1, b.length - width));
                    for (int i = 0; i < width && at + i < b.length; i++) b[at + i] = (byte) (v >>> (8 * i));
                    break;
                }
                case 3: {
                    if (b.length > 16) b = java.util.Arrays.copyOf(b, 8 + r.nextInt(b.length - 8));
                    break;
                }
                case 4: {
                    int len = 1 + r.nextInt(Math.min(64, b.length));
                    int from = r.nextInt(b.length - len + 1);
                    int to = r.nextInt(b.length - len + 1);
                    System.arraycopy(b.clone(), from, b, to, len);
                    break;
                }
                default: {
                    // HDF5 and zip structures keep sizes and addresses in the first kilobytes.
                    int at = r.nextInt(Math.min(b.length, 2048));
                    b[at] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    private static byte[] mutateMember(byte[] zip, SplittableRandom r) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) members.put(e.getName(), in.readAllBytes());
        }
        if (members.isEmpty()) return null;
        List<String> names = new ArrayList<>(members.keySet());
        String victim = names.get(r.nextInt(names.size()));
        byte[] content = members.get(victim);
        if (victim.endsWith(".json") && r.nextBoolean()) {
            members.put(victim, mutateJson(content, r));
        } else {
            members.put(victim, mutateBytes(content, r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                e.setTime(315532800000L);
                if (m.getKey().endsWith(".h5")) {
                    // Stored, as Keras writes its weights.
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Changes one number or one structural character of a JSON text. */
    private static byte[] mutateJson(byte[] json, SplittableRandom r) {
        String s = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) digits.add(i);
        StringBuilder b = new StringBuilder(s);
        if (!digits.isEmpty() && r.nextBoolean()) {
            int at = digits.get(r.nextInt(digits.size()));
            String[] numbers = {"0", "-1", "999999999999", "1e308", "2147483648", "-0", "0.5", "null", "\"x\"", "[]", "{}"};
            b.replace(at, at + 1, numbers[r.nextInt(numbers.length)]);
        } else if (b.length() > 0) {
            int at = r.nextInt(b.length());
            char[] chars = {'{', '}', '[', ']', ',', ':', '"', ' '};
            b.setCharAt(at, chars[r.nextInt(chars.length)]);
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes {@code count} mutated files per seed file into {@code outDir}: {@code <name>.<seed>.<ext>}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: FileMutator OUT_DIR COUNT SEED FILE...");
            System.exit(2);
        }
        Path outDir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Files.createDirectories(outDir);
        for (int f = 3; f < args.length; f++) {
            Path file = Path.of(args[f]);
            byte[] original = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            for (int i = 0; i < count; i++) {
                long s = seed * 1_000_003L + i;
                Files.write(outDir.resolve(base + "." + s + ext), mutate(original, s));
            }
        }
    }
}
