"""What pdfium gives of a PDF page: its characters with their boxes, its ruling lines.

Coordinates are points from the page's top-left corner (``top`` grows down),
as the table finder and the reader expect.

* Characters come from pdfium's text page, which reads a marked-content
  span's ``/ActualText`` as its glyphs' text (LibreOffice writes a character
  its font lacks as a blank glyph whose text is only there). The spaces and
  line breaks pdfium makes up between glyphs are dropped: words and lines are
  found here from the boxes (:func:`text_lines`).
* Ruling lines are the straight segments of painted paths
  (:func:`ruling_edges`): every segment of a stroked path, and the sides of a
  filled-only rectangle no wider than a drawn line. WPS and Word paint white
  paragraph shading as filled rectangles without a border; their edges are
  not rulings.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

__all__ = ["Char", "Edge", "PageContent", "cluster", "read_page", "ruling_edges", "text_lines"]

_THIN = 3.0  # points; a filled rectangle this narrow is a drawn line
_X_GAP = 3.0  # points between two glyphs that part two words
_Y_TOLERANCE = 3.0  # points; glyph tops closer than this stand on one line
_AXIS = 0.01  # points; a segment this close to level (or plumb) is one
_MAX_DEPTH = 8  # form objects nested in form objects, read this deep
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_BOX = 5  # path segments of a closed rectangle: one shape, at most
_X0 = itemgetter(1)  # a Char's x0
_NOT_TEXT = frozenset((0, 0x0A, 0x0D, 0xFFFE, 0xFFFF))
_LARGE = 20.0  # points; a character box higher than this may be pdfium's mistake


class Char(NamedTuple):
    """A character, its box and its box's middle; ``space`` for a space the PDF writes."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    space: bool
    mx: float
    my: float


class Edge(NamedTuple):
    """A level (``h``, ``top == bottom``) or plumb (``v``, ``x0 == x1``) segment."""

    orientation: str
    x0: float
    top: float
    x1: float
    bottom: float


class PageContent(NamedTuple):
    """A page read by pdfium: size, characters, ruling edges, whether it shows images."""

    width: float
    height: float
    chars: list[Char]
    edges: list[Edge]
    images: bool


def _codes(raw: Any, textpage: Any, count: int) -> list[int]:
    """Each character's UTF-16 code unit, by index: one call for the page, not one a character.

    A character beyond the BMP is a surrogate pair, at one index or at two;
    then the codes are read one by one, as pdfium numbers them.
    """
    buffer = (ctypes.c_ushort * (count + 1))()
    raw.FPDFText_GetText(textpage, 0, count, buffer)
    codes = list(buffer[:count])
    if any(0xD800 <= code < 0xE000 for code in codes):
        codes = [raw.FPDFText_GetUnicode(textpage, i) for i in range(count)]
    return codes


def _chars(raw: Any, textpage: Any, top_y: float) -> list[Char]:
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    loose_box, generated = raw.FPDFText_GetLooseCharBox, raw.FPDFText_IsGenerated
    rect = raw.FS_RECTF()
    rect_p = ctypes.byref(rect)
    out: list[Char] = []
    new = tuple.__new__  # Char(...) checks its arguments: a page has thousands
    codes = _codes(raw, textpage, count)
    skip = -1
    for i, code in enumerate(codes):
        if i == skip or code in _NOT_TEXT:
            continue
        if 0xD800 <= code < 0xE000:
            # A character beyond the BMP as a surrogate pair at two indices;
            # a half alone (a damaged text layer) is no character.
            following = codes[i + 1] if i + 1 < count else 0
            if code < 0xDC00 and 0xDC00 <= following < 0xE000:
                text = chr(0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00))
                skip = i + 1
            else:
                text = "\ufffd"
        else:
            text = chr(code)
        # pdfium makes up the spaces and line breaks it sees between words and
        # lines; the boxes tell those here.
        space = text.isspace()
        if (space and generated(textpage, i) == 1) or not loose_box(textpage, i, rect_p):
            continue
        left, top, right, bottom = ((rect.left, rect.top, rect.right, rect.bottom)
                                    if rect.top - rect.bottom <= _LARGE
                                    else _box(raw, textpage, i, rect))
        out.append(new(Char, (text, left, top_y - top, right, top_y - bottom, space,
                              (left + right) / 2, top_y - (top + bottom) / 2)))
    return out


def _box(raw: Any, textpage: Any, i: int, rect: Any) -> tuple[float, float, float, float]:
    """The character's box (left, top, right, bottom in page space, ``top > bottom``).

    pdfium's loose box spans the font's ascent and descent, as a reader lays
    text out; for some fonts it comes out the size of the font before the text
    matrix scales it (hundreds of points for ``199 Tf`` under a 0.05 matrix).
    The glyph's own box then stands in, made square around its middle.
    """
    loose = rect.left, rect.top, rect.right, rect.bottom
    height = rect.top - rect.bottom
    edges = [ctypes.c_double() for _ in range(4)]
    matrix = raw.FS_MATRIX()
    if not raw.FPDFText_GetMatrix(textpage, i, ctypes.byref(matrix)):
        return loose
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    if (height <= 2 * raw.FPDFText_GetFontSize(textpage, i) * scale
            or not raw.FPDFText_GetCharBox(textpage, i, *(ctypes.byref(v) for v in edges))):
        return loose
    left, right, bottom, top = (v.value for v in edges)
    side, middle = max(right - left, top - bottom), (top + bottom) / 2
    return left, middle + side / 2, right, middle - side / 2


def _multiply(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    # Affine matrices (a, b, c, d, e, f): ``a`` applied first, then ``b``.
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _objects(raw: Any, page: Any) -> Iterator[tuple[Any, int, tuple[float, ...]]]:
    """Every page object, its type, and the matrix from its form objects to the page."""
    get_type = raw.FPDFPageObj_GetType
    get_object = raw.FPDFPage_GetObject
    form = raw.FPDF_PAGEOBJ_FORM
    identity = _IDENTITY
    matrix = raw.FS_MATRIX()
    stack: list[tuple[Any, tuple[float, ...], int]] = []
    for n in range(raw.FPDFPage_CountObjects(page)):
        obj = get_object(page, n)
        kind = get_type(obj)
        if kind != form:
            yield obj, kind, identity
        else:
            stack.append((obj, identity, 0))
            while stack:  # a form's objects, depth first, in drawing order
                obj, outer, depth = stack.pop()
                kind = get_type(obj)
                yield obj, kind, outer
                if (kind == form and depth < _MAX_DEPTH
                        and raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))):
                    inner = _multiply((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e,
                                       matrix.f), outer)
                    stack.extend((raw.FPDFFormObj_GetObject(obj, k), inner, depth + 1)
                                 for k in reversed(range(raw.FPDFFormObj_CountObjects(obj))))


def _subpaths(raw: Any, path: Any, matrix: Sequence[float]) -> list[list[tuple[float, float]]]:
    """The path's subpaths as page points (curves by their end points), closed ones closed."""
    x, y = ctypes.c_float(), ctypes.c_float()
    x_p, y_p = ctypes.byref(x), ctypes.byref(y)
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    move = raw.FPDF_SEGMENT_MOVETO
    out: list[list[tuple[float, float]]] = []
    a, b, c, d, e, f = matrix
    for n in range(raw.FPDFPath_CountSegments(path)):
        segment = get_segment(path, n)
        if not get_point(segment, x_p, y_p):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if not out or raw.FPDFPathSegment_GetType(segment) == move:
            out.append([point])
            continue
        points = out[-1]
        points.append(point)
        # Closing a two-point subpath draws its one segment again: no need to ask.
        if len(points) > 2 and raw.FPDFPathSegment_GetClose(segment) and points[0] != point:
            points.append(points[0])
    return out


def _is_box(points: list[tuple[float, float]]) -> bool:
    # A closed level rectangle: four corners (the fifth point closes it).
    corners = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(corners) != 4:
        return False
    xs = {round(p[0], 2) for p in corners}
    ys = {round(p[1], 2) for p in corners}
    return len(xs) == 2 and len(ys) == 2


def _edges_of(points: list[tuple[float, float]], top_y: float) -> Iterator[Edge]:
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if abs(y0 - y1) <= _AXIS and x0 != x1:
            yield Edge("h", min(x0, x1), top_y - y0, max(x0, x1), top_y - y0)
        elif abs(x0 - x1) <= _AXIS and y0 != y1:
            yield Edge("v", x0, top_y - max(y0, y1), x0, top_y - min(y0, y1))


def ruling_edges(raw: Any, path: Any, matrix: Sequence[float], top_y: float) -> list[Edge]:
    """The ruling lines a path object draws (see the module's docstring).

    ``matrix`` maps the path's form XObjects (if any) to the page; ``top_y`` is
    the page's top in PDF space, where ``top`` is 0.
    """
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(path, ctypes.byref(mode), ctypes.byref(stroke)):
        return []
    if not stroke.value and not mode.value:
        return []  # a clipping path: nothing painted
    if not stroke.value and matrix == _IDENTITY and raw.FPDFPath_CountSegments(path) <= _BOX:
        # One filled shape, WPS's shading box most often: thick, it is no line,
        # and its bounds tell so without reading its points.
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if (raw.FPDFPageObj_GetBounds(path, *(ctypes.byref(v) for v in (left, bottom, right, top)))
                and min(right.value - left.value, top.value - bottom.value) > _THIN):
            return []
    own = raw.FS_MATRIX()
    if raw.FPDFPageObj_GetMatrix(path, ctypes.byref(own)):
        matrix = _multiply((own.a, own.b, own.c, own.d, own.e, own.f), matrix)
    out: list[Edge] = []
    for points in _subpaths(raw, path, matrix):
        if not stroke.value:
            if not _is_box(points):
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            if min(max(xs) - min(xs), max(ys) - min(ys)) > _THIN:
                continue  # shading, not a line
        out.extend(_edges_of(points, top_y))
    return out


def read_page(raw: Any, page: Any) -> PageContent:
    """A page's characters, ruling edges and whether it shows an image."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in (left, bottom, right, top))):
        left.value, bottom.value = 0.0, 0.0
        right.value, top.value = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
    width, height = right.value - left.value, top.value - bottom.value
    textpage = raw.FPDFText_LoadPage(page)
    try:
        chars = _chars(raw, textpage, top.value) if textpage else []
    finally:
        if textpage:
            raw.FPDFText_ClosePage(textpage)
    if left.value:
        chars = [c._replace(x0=c.x0 - left.value, x1=c.x1 - left.value, mx=c.mx - left.value)
                 for c in chars]
    edges: list[Edge] = []
    images = False
    for obj, kind, matrix in _objects(raw, page):
        if kind == raw.FPDF_PAGEOBJ_PATH:
            edges.extend(e._replace(x0=e.x0 - left.value, x1=e.x1 - left.value)
                         for e in ruling_edges(raw, obj, matrix, top.value))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images = True
    return PageContent(width, height, chars, edges, images)


def cluster(values: list[float], tolerance: float) -> dict[float, int]:
    """Values grouped in runs no step of which is over ``tolerance``: value → group number."""
    out: dict[float, int] = {}
    group, last = -1, None
    for value in sorted(values):
        if last is None or value > last + tolerance:
            group += 1
        out[value] = group
        last = value
    return out


def text_lines(chars: Sequence[Char]) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of the lines the characters make, top to bottom.

    Characters whose tops run within a few points stand on one line; two
    glyphs further apart than a few points, or parted by a space, are two
    words, joined by one space.
    """
    if not chars:
        return []
    if len(chars) == 1:
        (char,) = chars
        return [] if char.space else [(char.top, char.bottom, char.text)]
    tops = [c.top for c in chars]
    if max(tops) - min(tops) <= _Y_TOLERANCE:
        lines = [list(chars)]
    else:
        groups = cluster(tops, _Y_TOLERANCE)
        by_group: dict[int, list[Char]] = {}
        for char in chars:
            by_group.setdefault(groups[char.top], []).append(char)
        lines = [by_group[n] for n in sorted(by_group)]
    out: list[tuple[float, float, str]] = []
    for line in lines:
        line.sort(key=_X0)
        parts: list[str] = []
        last_x1 = top = bottom = 0.0
        gap = False
        for char in line:
            if char.space:
                gap = True
                continue
            if not parts:
                top, bottom = char.top, char.bottom
            else:
                if gap or char.x0 > last_x1 + _X_GAP:
                    parts.append(" ")
                top, bottom = min(top, char.top), max(bottom, char.bottom)
            parts.append(char.text)
            last_x1, gap = char.x1, False
        if parts:
            out.append((top, bottom, "".join(parts)))
    return out
