"""Write the fuzzer's seed corpus: small generated reports (tests/synth.py), never real ones.

Usage: ``python fuzz/make_corpus.py DIR``. One file per layout and template, as
UTF-8 and as GB18030, plus a crawler-style one-line report, an HTML page and
a few odd inputs; files are cut to a few KB so mutations reach every part.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from synth import generate

COMBINATIONS = [(layout, template) for template in ("2021", "2019")
                for layout in ("pipe_rows", "pipe_cells", "tab_cells", "tab_rows")]
COMBINATIONS.append(("prose", "freeform"))
MAX_SEED_BYTES = 12_000


def seeds() -> dict[str, bytes]:
    """Seed inputs by file name."""
    out: dict[str, bytes] = {}
    for i, (layout, template) in enumerate(COMBINATIONS):
        text, _ = generate(i, layout, template)
        out[f"{layout}_{template}.txt"] = text.encode("utf-8")[:MAX_SEED_BYTES]
        out[f"{layout}_{template}.gb18030.txt"] = text.encode("gb18030")[:MAX_SEED_BYTES]
    text, _ = generate(99, "tab_rows", "2021")
    # Crawler text: the whole report on one line, cells run together.
    out["fused_2021.txt"] = "".join(text.replace("\t", "").split("\n")).encode("utf-8")
    rows = "".join(f"<tr><td>{ln.replace(chr(9), '</td><td>')}</td></tr>"
                   for ln in text.split("\n") if "\t" in ln)
    out["page.html"] = (f"<html><body><p>{text.split(chr(10))[0]}</p><table>{rows}</table>"
                        "</body></html>").encode()
    out["odd_bom.txt"] = b"\xef\xbb\xbf\xe4\xb8\x80\xe3\x80\x81\r\n|\r\n0 |"
    out["odd_pdf.bin"] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    out["odd_zip.bin"] = b"PK\x03\x04\x14\x00\x00\x00"
    return out


def main(argv: list[str]) -> int:
    """Write the seeds into the directory named on the command line."""
    if len(argv) != 2:
        print("usage: make_corpus.py DIR", file=sys.stderr)
        return 2
    target = Path(argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, data in seeds().items():
        (target / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
