#!/usr/bin/env python3
"""Writes a ~20 MB executed Basics notebook, shaped like the real ones that
reach the size limit: a plot per epoch (base64 PNG payloads, which do not
compress much) and a lot of printed training lines. Usage: OUT.zip [MB]"""
import base64
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures"))
import nbgen  # noqa: E402

out = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 20
rng = random.Random(7)
cells = nbgen.basics()
size = 0
epoch = 0
while size < target << 20:
    epoch += 1
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(48_000)).decode()
    lines = "".join(f"Epoch {epoch} batch {b}: loss {rng.random():.6f}\n" for b in range(200))
    cells.append(nbgen.code(f"train_epoch({epoch})\nplot_fit()", [nbgen.stream(lines), nbgen.image(png)]))
    size += len(png) + len(lines)
nbgen.run(cells)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Basics.ipynb", nbgen.notebook(cells))
    z.writestr("pytorch_basic.py", nbgen.PYTORCH_BASIC)
