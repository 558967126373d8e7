"""Tiny PDFs drawn in memory for the PDF reader's tests: ruled cells, CJK text, pages.

The text uses the standard CJK font STSong-Light (not embedded) with the
``UniGB-UCS2-H`` encoding, so no font file is needed and a PDF reader maps
every character back to Unicode. Nothing here is a real report.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the top left


class Page:
    """A page's content stream, in top-left coordinates like the reader's."""

    def __init__(self, width: float = 595, height: float = 842) -> None:
        self.width, self.height = width, height
        self.ops: list[str] = ["0.5 w"]
        self.forms: list[tuple[str, Page, str]] = []

    def form(self, drawn: Page, matrix: str = "1 0 0 1 0 0") -> None:
        """Paint ``drawn`` (a page's drawing, same size) as a form XObject placed by ``matrix``."""
        name = f"Fm{len(self.forms) + 1}"
        self.forms.append((name, drawn, matrix))
        self.ops.append(f"q /{name} Do Q")

    def text(self, x: float, top: float, text: str, size: float = 10,
             actual: str | None = None) -> None:
        """Write ``text`` with its top at ``top``; ``actual`` wraps it in an ActualText span."""
        y = self.height - top - size
        code = text.encode("utf-16-be").hex()
        show = f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td <{code}> Tj ET"
        if actual is not None:
            value = ("\ufeff" + actual).encode("utf-16-be").hex()
            show = f"/Span <</ActualText <{value}>>> BDC {show} EMC"
        self.ops.append(show)

    def line(self, x0: float, top: float, x1: float, bottom: float) -> None:
        """A stroked line."""
        h = self.height
        self.ops.append(f"{x0:.2f} {h - top:.2f} m {x1:.2f} {h - bottom:.2f} l S")

    def box(self, x0: float, top: float, x1: float, bottom: float, *,
            stroke: bool = True, fill: str | None = None) -> None:
        """A rectangle: stroked, or filled only (``fill`` an RGB triple such as ``"1 1 1"``)."""
        h = self.height
        rect = f"{x0:.2f} {h - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re"
        if fill is not None:
            self.ops.append(f"q {fill} rg {rect} {'B' if stroke else 'f'} Q")
        else:
            self.ops.append(f"{rect} S")

    def image(self, x0: float, top: float, x1: float, bottom: float) -> None:
        """A one-pixel grey image stretched over the box, as a scanned page shows."""
        h = self.height
        self.ops.append(f"q {x1 - x0:.2f} 0 0 {bottom - top:.2f} {x0:.2f} {h - bottom:.2f} cm "
                        "BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q")

    def cells(self, xs: Sequence[float], ys: Sequence[float],
              texts: dict[tuple[int, int], str] | None = None,
              merged: Sequence[tuple[int, int, int, int]] = ()) -> None:
        """A ruled grid with column borders ``xs`` and row borders ``ys``.

        ``merged`` are (row, column, rowspan, colspan) cells drawn without their
        inner borders; ``texts`` maps (row, column) to a cell's text, one line per
        ``\\n``.
        """
        inside: set[tuple[int, int]] = set()
        for r, c, rs, cs in merged:
            inside.update((r + i, c + j) for i in range(rs) for j in range(cs))
        owner = {}
        for r, c, rs, cs in merged:
            for i in range(rs):
                for j in range(cs):
                    owner[(r + i, c + j)] = (r, c)
        rows, cols = len(ys) - 1, len(xs) - 1
        for r in range(rows + 1):
            for c in range(cols):
                above, below = owner.get((r - 1, c), (r - 1, c)), owner.get((r, c), (r, c))
                if r in (0, rows) or above != below:
                    self.line(xs[c], ys[r], xs[c + 1], ys[r])
        for c in range(cols + 1):
            for r in range(rows):
                left, right = owner.get((r, c - 1), (r, c - 1)), owner.get((r, c), (r, c))
                if c in (0, cols) or left != right:
                    self.line(xs[c], ys[r], xs[c], ys[r + 1])
        for (r, c), text in (texts or {}).items():
            for n, part in enumerate(text.split("\n")):
                self.text(xs[c] + 2, ys[r] + 2 + 12 * n, part)


def pdf(pages: Sequence[Page], *, title: str | None = None, encrypt: bool = False) -> bytes:
    """The PDF file of ``pages``."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, below
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 4"
        b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >> >>] >>",
    ]
    kids = []
    font = b"/Font << /F1 3 0 R >>"
    for page in pages:
        xobjects = b""
        for name, drawn, matrix in page.forms:
            stream = zlib.compress("\n".join(drawn.ops).encode("latin-1"))
            objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Matrix [%s]"
                           b" /Resources << %s >> /Filter /FlateDecode /Length %d >>\nstream\n"
                           % (drawn.width, drawn.height, matrix.encode(), font, len(stream))
                           + stream + b"\nendstream")
            xobjects += b"/%s %d 0 R " % (name.encode(), len(objects))
        stream = zlib.compress("\n".join(page.ops).encode("latin-1"))
        objects.append(b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream)
                       + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
                       b" /Resources << %s /XObject << %s>> >> >>"
                       % (page.width, page.height, content, font, xobjects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    trailer = b""
    if title is not None:
        objects.append(b"<< /Title <" + ("\ufeff" + title).encode("utf-16-be").hex().encode()
                       + b"> >>")
        trailer += b" /Info %d 0 R" % len(objects)
    if encrypt:
        # A standard security handler whose user password is not empty: O and U
        # that no empty password opens.
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"41" * 32
                       + b"> /U <" + b"42" * 32 + b"> >>")
        trailer += b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff>"
        trailer = trailer % len(objects) + b" <00112233445566778899aabbccddeeff>]"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R" % (len(objects) + 1) + trailer
              + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
