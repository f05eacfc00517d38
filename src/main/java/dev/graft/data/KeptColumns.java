package dev.graft.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns of a CSV input that {@code predict --keep} passes through to its CSV output beside the
 * predictions (an id, a label), as the text the input holds: an id of 9 digits stays exact,
 * {@code 007} stays {@code 007}.
 */
public record KeptColumns(List<String> names, List<String[]> rows) {
    /**
     * @param table the same text read as numbers, which decided the header and the row count
     */
    static KeptColumns of(String text, CsvTable table, ColumnSelection selection) {
        int[] cols = selection.resolve(table);
        List<String> names = new ArrayList<>();
        for (int c : cols) names.add(table.columnNames().get(c));
        List<String[]> rows = new ArrayList<>();
        try {
            BufferedReader in = new BufferedReader(new StringReader(text));
            String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
            int sample = Math.min(body.length(), DelimiterDetector.SAMPLE_CHARS);
            char delimiter = DelimiterDetector.detect(body.substring(0, sample), sample == body.length());
            in = new BufferedReader(new StringReader(body));
            CsvTokenizer t = new CsvTokenizer(in, delimiter, table.source());
            boolean header = table.hasHeader();
            while (t.next()) {
                if (header) {
                    header = false;
                    continue;
                }
                String[] row = new String[cols.length];
                for (int i = 0; i < cols.length; i++) row[i] = cols[i] < t.fieldCount() ? t.field(cols[i]) : "";
                rows.add(row);
            }
        } catch (IOException e) {
            throw new DataFileException(table.source(), "cannot read: " + e.getMessage(), e);
        }
        if (rows.size() != table.rowCount()) {
            throw new DataFileException(table.source(), "holds " + rows.size() + " rows of text but " + table.rowCount() + " rows of numbers");
        }
        return new KeptColumns(names, rows);
    }
}
