"""Web pages: each data ``<table>`` becomes a grid, the rest becomes text lines.

Parsed with selectolax's Lexbor engine, an HTML5 parser: broken markup is
repaired the way browsers repair it (a ``<td>`` without its ``<tr>``, an
unclosed table, stray end tags). It was measured against lxml on a real
report page and on broken markup (docs/formats.md): about twice as fast, and
lxml drops the cells of a table whose ``<tr>`` is missing.

* ``rowspan`` / ``colspan`` are honoured (see :mod:`govreport.sources._common`
  for how a merged cell is handed to the table forms), so a header and the
  data rows below it may split their columns differently.
* A cell's text is its text nodes with ``<br>`` and block boundaries joined as
  the text layouts join a broken cell (no space between CJK characters);
  ``&nbsp;`` is kept as U+00A0, which the forms read as blank.
* A table holding another table, or with a single column, is page layout, not
  data: its cells are read as running text.
* The page's titles outside its text are kept in :attr:`Document.titles
  <govreport.model.Document.titles>`: ``<title>`` (``"html-title"``),
  ``<meta name="ArticleTitle">`` (``"meta:ArticleTitle"``), and the headings a
  CMS gives the article — ``<h1>`` and elements whose class or id says
  "title" — outside links and lists (``"html-heading"``), evidence of the
  agency and year for a page whose text has no title line.
* The encoding is the byte-order mark's, else UTF-8 when the bytes are valid
  UTF-8, else the one declared in ``<meta charset>`` / ``http-equiv`` (GB2312
  and GBK read as GB18030), else GB18030.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

import attrs

from govreport.errors import MissingExtra
from govreport.model import Document
from govreport.sources._common import DocumentBuilder, SpanGrid, collapse, join_parts

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["decode_html", "page_titles", "read_html"]

# Elements whose start and end break a line of running text.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Elements whose content is not report text.
_SKIP = frozenset({
    "head", "script", "style", "noscript", "template", "title", "iframe", "object", "svg",
    "select", "button", "textarea", "math", "canvas", "video", "audio",
})
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}


def decode_html(data: bytes) -> str:
    """Decode a page: BOM, else UTF-8, else the ``<meta>`` charset, else GB18030.

    A page that is none of them strictly is decoded with replacement
    characters, as a browser would show it.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff")
    # Valid UTF-8 with any non-ASCII byte is UTF-8 whatever the page declares: GBK
    # text almost never is valid UTF-8, while pages re-saved as UTF-8 often keep
    # their old GBK declaration.
    tried = ["utf-8"]
    m = _META_CHARSET.search(data[:8192])
    if m is not None:
        declared = m[1].decode("ascii").lower()
        with contextlib.suppress(LookupError):  # an unknown label: as if none were declared
            tried.append(codecs.lookup(_ALIASES.get(declared, declared)).name)
    tried.append("gb18030")
    for codec in tried:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode(tried[-2] if len(tried) > 2 else "gb18030", errors="replace")


def _parser() -> type:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise MissingExtra("HTML", "html") from None
    return LexborHTMLParser


def _children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _span(value: str | None, limit: int) -> int:
    # Browsers read the leading digits ("2px" is 2) and clamp to the spec's limits.
    if value is None:
        return 1
    if not value.isdigit():
        m = re.match(r"\s*(\d+)", value)
        if m is None:
            return 1
        value = m[1]
    n = int(value)
    if limit == _MAX_ROWSPAN and n == 0:
        return _MAX_ROWSPAN  # rowspan="0": to the end of the table
    return min(max(n, 1), limit)


def _cell_text(cell: LexborNode) -> str:
    tags = [n.tag for n in cell.traverse()]
    if "br" not in tags and sum(map(_BLOCK.__contains__, tags)) <= 2:  # the cell and one <p>
        # The common cell, one run of text (maybe inside one <p>): Lexbor joins it in C,
        # several times faster than the walk below.
        return collapse(cell.text(deep=True)).strip()
    parts: list[str] = []
    current: list[str] = []
    stack = list(reversed(list(_children(cell))))
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag is None or tag.startswith("-") or tag in _SKIP:
            continue
        if tag == "br" or tag in _BLOCK:
            parts.append(collapse("".join(current)))
            current = []
        stack.extend(reversed(list(_children(node))))
    parts.append(collapse("".join(current)))
    return join_parts(parts)


def _rows(table: LexborNode) -> Iterator[LexborNode]:
    for child in _children(table):
        if child.tag == "tr":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from (tr for tr in _children(child) if tr.tag == "tr")


def _is_data_table(table: LexborNode) -> bool:
    """A table of values, not page layout: no table inside, and more than one column."""
    if len(table.css("table")) > 1:  # the table itself matches too
        return False
    return any(sum(1 for c in _children(tr) if c.tag in _CELLS) > 1 for tr in _rows(table))


def _read_table(table: LexborNode, out: DocumentBuilder) -> None:
    for child in _children(table):
        if child.tag == "caption":
            out.text(_cell_text(child))
    spans = SpanGrid()
    rows = []
    for tr in _rows(table):
        cells = []
        for td in tr.iter():  # element children only, iterated in C
            if td.tag in _CELLS:
                attrs = td.attributes
                cells.append((_cell_text(td), _span(attrs.get("colspan"), _MAX_COLSPAN),
                              _span(attrs.get("rowspan"), _MAX_ROWSPAN)))
        rows.append(spans.row(cells))
    out.grid(rows)


# A heading inside one of these is a link or a list item: another page's title.
_NOT_THE_PAGE = frozenset({"a", "li", "ul", "ol", "nav", "option", "select", "dt", "dd"})
_TITLE_HEADINGS = "h1, [class*=title i], [id*=title i]"
# A title heading is a few nodes; a bigger one is a container named "title…". Bounds
# keep a hostile page (thousands of nested "title" divs) from costing more than a walk.
_MAX_TITLE, _MAX_HEADINGS, _MAX_DEPTH, _MAX_NODES, _MAX_CANDIDATES = 200, 8, 64, 40, 200


def _small(node: LexborNode) -> bool:
    return sum(1 for _ in islice(node.traverse(include_text=True), _MAX_NODES + 1)) <= _MAX_NODES


def _heading_text(node: LexborNode) -> str | None:
    """A title heading's text; ``None`` for one in a link, a list or navigation."""
    if node.tag in _NOT_THE_PAGE or node.tag in _SKIP or not _small(node) \
            or node.css_first("a") is not None:
        return None
    parent, depth = node.parent, 0
    while parent is not None and depth < _MAX_DEPTH:
        if parent.tag in _NOT_THE_PAGE:
            return None
        parent, depth = parent.parent, depth + 1
    text = collapse(node.text(deep=True)).strip()
    return text if 2 <= len(text) <= _MAX_TITLE else None


def page_titles(tree: Any) -> tuple[tuple[str, str], ...]:
    """The titles a parsed page states besides its text, as ``(origin, text)`` pairs."""
    found: list[tuple[str, str]] = []
    if (node := tree.css_first("title")) is not None:
        text = collapse(node.text(deep=True)).strip()
        if text:
            found.append(("html-title", text[:_MAX_TITLE]))
    for meta in tree.css("meta[name]"):
        attrs_ = meta.attributes
        if (attrs_.get("name") or "").lower() == "articletitle":
            text = collapse(attrs_.get("content") or "").strip()
            if text:
                found.append(("meta:ArticleTitle", text[:_MAX_TITLE]))
    seen: set[str] = set()
    for node in tree.css(_TITLE_HEADINGS)[:_MAX_CANDIDATES]:
        heading = _heading_text(node)
        if heading and heading not in seen:
            seen.add(heading)
            found.append(("html-heading", heading))
            if len(seen) >= _MAX_HEADINGS:
                break
    return tuple(found)


def read_html(data: bytes | str) -> Document:
    """Read a web page (bytes in any declared encoding, or text) into a Document.

    Raises:
        MissingExtra: selectolax is not installed (``pip install 'govreport[html]'``).

    """
    parser = _parser()
    text = decode_html(data) if isinstance(data, bytes) else data
    tree = parser(text)
    root = tree.body if tree.body is not None else tree.root
    out = DocumentBuilder("html")
    titles = page_titles(tree)
    if root is None:
        return attrs.evolve(out.document(), titles=titles)
    parts: list[str] = []

    def flush() -> None:
        if parts:
            out.text(collapse("".join(parts)))
            parts.clear()

    # An explicit stack, not recursion: repaired markup can nest thousands deep.
    stack: list[tuple[LexborNode, bool]] = [(c, False) for c in reversed(list(_children(root)))]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            flush()
            continue
        if tag == "-text":
            parts.append(node.text_content or "")
            continue
        if tag is None or tag.startswith("-") or tag in _SKIP:
            continue
        if tag == "br":
            flush()
            continue
        if tag == "table" and _is_data_table(node):
            flush()
            _read_table(node, out)
            continue
        if tag in _BLOCK:
            flush()
            stack.append((node, True))
        stack.extend((c, False) for c in reversed(list(_children(node))))
    flush()
    return attrs.evolve(out.document(), titles=titles)
