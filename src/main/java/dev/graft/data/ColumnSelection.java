package dev.graft.data;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Columns named the way a user types them on the command line ({@code --target ...}):
 * <ul>
 *   <li>a header name: {@code label}</li>
 *   <li>a 0-based number, negative from the end: {@code 3}, {@code -1} (the last column)</li>
 *   <li>a Python-style half-open range, ends optional: {@code 2:5} (2, 3, 4), {@code -2:}, {@code :3}</li>
 *   <li>several of these separated by commas: {@code a,b}, {@code 0,-2:}</li>
 * </ul>
 * An item that is exactly a column's name means that column even when it looks like a number
 * (a header {@code 2019,2020}); the whole spec is first tried as one name, so a name containing
 * a comma still works. Columns come back in the order the user listed them.
 */
public final class ColumnSelection {
    private static final int NAMES_SHOWN = 20;

    private final String spec;

    private ColumnSelection(String spec) {
        this.spec = spec;
    }

    /** @throws IllegalArgumentException when the spec is empty (a usage error, not a data error) */
    public static ColumnSelection parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty column selection");
        return new ColumnSelection(spec.strip());
    }

    public String spec() {
        return spec;
    }

    public int[] resolve(CsvTable table) {
        return resolve(table.columnNames(), table.hasHeader(), table.source());
    }

    /**
     * The 0-based column indices selected, in the order given.
     *
     * @param namesFromHeader false when {@code names} are generated ({@code col0, ...}), which changes
     *     how columns are named in messages
     * @param source the file, for messages
     */
    public int[] resolve(List<String> names, boolean namesFromHeader, String source) {
        Resolution r = new Resolution(names, namesFromHeader, source);
        Integer whole = r.byName(spec);
        if (whole != null) {
            r.add(whole);
        } else {
            for (String item : spec.split(",", -1)) r.addItem(item.strip());
        }
        return r.selected.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return spec;
    }

    private static final class Resolution {
        private final List<String> names;
        private final boolean namesFromHeader;
        private final String source;
        private final Set<Integer> selected = new LinkedHashSet<>();

        Resolution(List<String> names, boolean namesFromHeader, String source) {
            this.names = names;
            this.namesFromHeader = namesFromHeader;
            this.source = source;
        }

        void addItem(String item) {
            if (item.isEmpty()) throw new DataFileException(source, "empty item in column selection");
            Integer named = byName(item);
            if (named != null) {
                add(named);
                return;
            }
            Long index = parseIndex(item);
            if (index != null) {
                add(checkedIndex(index));
                return;
            }
            int colon = item.indexOf(':');
            if (colon >= 0) {
                Long from = colon == 0 ? Long.valueOf(0) : parseIndex(item.substring(0, colon).strip());
                Long to = colon == item.length() - 1 ? Long.valueOf(names.size()) : parseIndex(item.substring(colon + 1).strip());
                if (from != null && to != null) {
                    addRange(item, from, to);
                    return;
                }
            }
            throw noSuchName(item);
        }

        private void addRange(String item, long from, long to) {
            int n = names.size();
            if (from < -n || from > n || to < -n || to > n) {
                throw new DataFileException(source, "column range '" + item + "' is out of range (" + describeColumns() + ")");
            }
            int start = (int) (from < 0 ? from + n : from);
            int end = (int) (to < 0 ? to + n : to);
            if (start >= end) throw new DataFileException(source, "column range '" + item + "' selects no columns");
            for (int c = start; c < end; c++) add(c);
        }

        private int checkedIndex(long index) {
            int n = names.size();
            if (index < -n || index >= n) {
                throw new DataFileException(source, "column " + index + " is out of range (" + describeColumns() + ")");
            }
            return (int) (index < 0 ? index + n : index);
        }

        void add(int column) {
            if (!selected.add(column)) {
                throw new DataFileException(source, "column " + display(column) + " is selected twice");
            }
        }

        /** The column with exactly this name; null when none; an error when several share it. */
        Integer byName(String name) {
            int found = -1;
            for (int c = 0; c < names.size(); c++) {
                if (!names.get(c).equals(name)) continue;
                if (found >= 0) {
                    throw new DataFileException(source, "column name '" + name + "' is ambiguous: columns " + found + " and " + c
                            + " share it; select by number");
                }
                found = c;
            }
            return found >= 0 ? found : null;
        }

        private DataFileException noSuchName(String item) {
            if (!namesFromHeader) {
                return new DataFileException(source, "no column named '" + item + "' (the file has no header row; "
                        + describeColumns() + ")");
            }
            StringBuilder list = new StringBuilder();
            for (int c = 0; c < names.size() && c < NAMES_SHOWN; c++) {
                if (c > 0) list.append(", ");
                list.append(names.get(c));
            }
            if (names.size() > NAMES_SHOWN) list.append(", ... (").append(names.size()).append(" columns)");
            return new DataFileException(source, "no column named '" + item + "' (columns: " + list + ")");
        }

        private String describeColumns() {
            int n = names.size();
            return n == 1 ? "the file has 1 column: 0" : "the file has " + n + " columns: 0 to " + (n - 1);
        }

        private String display(int column) {
            return namesFromHeader ? "'" + names.get(column) + "'" : String.valueOf(column);
        }

        /** A plain decimal integer (ASCII digits, optional minus), or null. */
        private static Long parseIndex(String text) {
            if (text.isEmpty() || text.length() > 18) return null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(Character.isDigit(c) && c < 128) && !(i == 0 && c == '-' && text.length() > 1)) return null;
            }
            return Long.valueOf(text);
        }
    }
}
