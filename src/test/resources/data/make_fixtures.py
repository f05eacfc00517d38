#!/usr/bin/python3
"""Regenerates the data-file fixtures the dev.graft.data tests read.

Run with the system Python (numpy 1.24):  /usr/bin/python3 make_fixtures.py
Every file is written by NumPy or Python's csv module, never by graft, so the tests check graft
against what real users' tools produce. Files are tiny on purpose; the expected values are
written out literally in the Java tests.
"""
import csv
import io
import os
import zipfile

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))
NPY = os.path.join(HERE, "npy")
NPZ = os.path.join(HERE, "npz")
CSV = os.path.join(HERE, "csv")
for d in (NPY, NPZ, CSV):
    os.makedirs(d, exist_ok=True)

# --- .npy: one file per dtype, little- and big-endian --------------------------------------
VALUES = {
    "f2": [0.0, -0.0, 1.0, -2.5, 65504.0, 2.0**-14, 2.0**-24, np.inf, -np.inf, np.nan, 0.1, 1 / 3],
    "f4": [0.1, -1.5, 3.4028235e38, 1.4e-45, -0.0, 16777217.0, np.inf, np.nan],
    "f8": [0.1, -1e-300, 1.7976931348623157e308, 5e-324, np.pi, -0.0],
    "i1": [-128, -1, 0, 1, 127],
    "i2": [-32768, -1, 0, 1, 32767],
    "i4": [-2147483648, -1, 0, 1, 2147483647],
    "i8": [-9223372036854775808, -1, 0, 1, 9223372036854775807],
    "u1": [0, 1, 127, 128, 255],
    "u2": [0, 1, 32768, 65535],
    "u4": [0, 1, 2147483648, 4294967295],
    "b1": [True, False, True],
}
for code, values in VALUES.items():
    kind = "?" if code == "b1" else code
    a = np.array(values, dtype=np.dtype(kind))
    if code == "f4":
        a = a.reshape(2, 4)
    np.save(os.path.join(NPY, code + ".npy"), a)
    if a.dtype.itemsize > 1:
        np.save(os.path.join(NPY, "be_" + code + ".npy"), a.astype(a.dtype.newbyteorder(">")))

np.save(os.path.join(NPY, "fortran_2x3_f8.npy"), np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)))
np.save(os.path.join(NPY, "fortran_2x3x4_i4.npy"), np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
np.save(os.path.join(NPY, "fortran_be_3x2_f4.npy"), np.asfortranarray(np.arange(6, dtype=">f4").reshape(3, 2)))
for version in ((2, 0), (3, 0)):
    with open(os.path.join(NPY, "v%d_f4.npy" % version[0]), "wb") as f:
        npformat.write_array(f, (np.arange(6, dtype="<f4") / 4).reshape(2, 3), version=version)
np.save(os.path.join(NPY, "scalar_f8.npy"), np.array(3.5))
np.save(os.path.join(NPY, "empty_0x3_f4.npy"), np.zeros((0, 3), dtype="<f4"))
np.save(os.path.join(NPY, "matrix_3x4_f4.npy"), (np.arange(12, dtype="<f4") / 8).reshape(3, 4))

# Files graft must refuse, each with its own message.
np.save(os.path.join(NPY, "object.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)
np.save(os.path.join(NPY, "structured.npy"), np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
np.save(os.path.join(NPY, "complex.npy"), np.array([1 + 2j], dtype="<c8"))
np.save(os.path.join(NPY, "unicode.npy"), np.array(["abc"]))
np.save(os.path.join(NPY, "u8.npy"), np.array([1], dtype="<u8"))
buf = io.BytesIO()
np.save(buf, np.zeros(1200, dtype="<f4"))
data = buf.getvalue()
header_length = len(data) - 1200 * 4
with open(os.path.join(NPY, "truncated.npy"), "wb") as f:
    f.write(data[: header_length + 800 * 4 + 2])  # 800 whole values and half of the next

# float32 -> float16 rounding as NumPy does it (ties, subnormals, overflow), for HalfFloat.
rng = np.random.default_rng(7)
f32 = np.concatenate([
    rng.standard_normal(300).astype("<f4") * np.float32(1000),
    (rng.standard_normal(200) * 1e-5).astype("<f4"),
    np.array([65504, 65519.99, 65520, 65536, 2.0**-25, 2.0**-25 * 1.0000001, 2.0**-26, 2.0**-24 * 1.5,
              2.0**-24 * 2.5, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 1e-45, -0.0, np.inf, -np.inf], dtype="<f4"),
])
with np.errstate(over="ignore"):
    np.savez_compressed(os.path.join(NPZ, "half_rounding.npz"), f32=f32, f16=f32.astype("<f2"))

# --- .npz ------------------------------------------------------------------------------------
arrays = dict(z=np.arange(6, dtype="<f4").reshape(2, 3) / 2, a=np.array([1, 0, 1], dtype="<i8"), m=np.array(2.5))
np.savez(os.path.join(NPZ, "savez.npz"), **arrays)
np.savez_compressed(os.path.join(NPZ, "savez_compressed.npz"), **arrays, zeros=np.zeros(100, dtype="<f8"))
np.savez(os.path.join(NPZ, "positional.npz"), np.array([1.0, 2.0]), np.array([3, 4], dtype="<i4"))
np.savez(os.path.join(NPZ, "empty.npz"))
np.savez(os.path.join(NPZ, "object_inside.npz"), ok=np.array([1.0]), bad=np.array([1, "a"], dtype=object))
with zipfile.ZipFile(os.path.join(NPZ, "text_entry.npz"), "w") as z:
    b = io.BytesIO(); np.save(b, np.array([1.0])); z.writestr("x.npy", b.getvalue())
    z.writestr("notes.txt", "not an array")

# --- CSV -------------------------------------------------------------------------------------
table = np.array([[5.1, 3.5, 0], [4.9, 3.0, 1], [6.2, 2.9, 2]])
np.savetxt(os.path.join(CSV, "savetxt_plain.csv"), table, delimiter=",")  # %.18e, no header
np.savetxt(os.path.join(CSV, "savetxt_header.csv"), table, delimiter=",", header="sepal_length,sepal_width,species",
           fmt="%g")  # header line is "# sepal_length,..."
np.savetxt(os.path.join(CSV, "savetxt_tab.tsv"), table, delimiter="\t", fmt="%g")
with open(os.path.join(CSV, "excel_semicolon.csv"), "w", newline="", encoding="utf-8-sig") as f:
    w = csv.writer(f, delimiter=";", dialect="excel")  # CRLF line ends and a UTF-8 BOM, like Excel
    w.writerow(["height (cm)", "weight; kg", 'the "label"'])
    w.writerows([[170, 65.5, 1], [182.5, 80, 0]])
with open(os.path.join(CSV, "quoted_nonnumeric.csv"), "w", newline="") as f:
    w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)  # quotes the header, not the numbers
    w.writerow(["a,b", "c", "label"])
    w.writerows([[1.5, -2, 1], [0.25, 1e-3, 0]])
    f.write("\n\n")  # blank trailing lines
with open(os.path.join(CSV, "quoted_all.csv"), "w", newline="") as f:
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")  # numbers quoted too
    w.writerow(["x", "multi\nline name", "y"])
    w.writerows([[1, 2, 3], [4, 5, 6]])
