/**
 * Data files users hand to {@code graft predict} and {@code graft train}: NumPy {@code .npy} and
 * {@code .npz}, and numeric CSV. Plain Java on {@link dev.graft.model.HostArray}; nothing here
 * needs ND4J, so reading data never starts the engine.
 *
 * <p>Start at {@link dev.graft.data.DataFiles}: it reads a file by its content and writes one
 * by its extension. For {@code train}, read a CSV with {@link dev.graft.data.CsvReader} and split
 * it with {@link dev.graft.data.CsvTable#split} and a {@link dev.graft.data.ColumnSelection}.
 *
 * <p>Conventions shared by every class here:
 * <ul>
 *   <li>Every failure is a {@link dev.graft.data.DataFileException} whose message is one line,
 *   the file first: {@code train.csv: row 7 has 5 fields, expected 6}.</li>
 *   <li>CSV rows are named by their 1-based line in the file, as an editor shows it; columns by
 *   header name, or without a header by 0-based number, the same numbers {@code --target}
 *   takes and the generated names {@code col0, col1, ...} use.</li>
 *   <li>Files are written to a temporary file in the same folder and renamed into place.</li>
 * </ul>
 */
package dev.graft.data;
