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
* ``<pre>`` text keeps its line breaks and goes through the text layouts, as
  a ``.txt`` file would.
* Text a reader cannot see is not report text: elements hidden by the
  ``hidden`` attribute or an inline ``display:none`` / ``visibility:hidden``
  style, and the text of form controls and ``<noscript>`` (buttons, menus,
  text boxes), go to a diagnostic's ``raw`` (``hidden-text``, ``form-text``).
  Hidden elements holding most of the page's text are a tab or print view a
  script shows, and are read (still with ``hidden-text``).
* The encoding is the byte-order mark's, else UTF-8 when the bytes are valid
  UTF-8, else the one declared in ``<meta charset>`` / ``http-equiv`` (GB2312
  and GBK read as GB18030), else GB18030. A declared single-byte charset under
  which the page has no Chinese, while GB18030 reads it cleanly as Chinese, is
  overridden; an unknown or non-text charset label is ignored (diagnostics
  ``charset-override``, ``charset-ignored``).
* Elements nested deeper than :attr:`~govreport.Limits.max_html_depth` lose
  their tags before parsing (not their text), since HTML5 tree building takes
  quadratic time in the depth (diagnostic ``html-depth``).
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
from govreport.limits import DEFAULT_LIMITS, Limits, check_lines
from govreport.model import Diagnostic, Document
from govreport.sources._common import DocumentBuilder, SpanGrid, collapse, join_parts

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["decode_html", "page_titles", "read_html"]

# Elements whose start and end break a line of running text.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Elements whose content is not report text: code, media, the head. Form controls
# and hidden elements are taken out before the walk, into diagnostics.
_SKIP = frozenset({
    "head", "script", "style", "noscript", "template", "title", "iframe", "object", "svg",
    "select", "button", "textarea", "math", "canvas", "video", "audio",
})
_FORM = "button, select, textarea, noscript"
_HIDDEN = '[hidden], [style*="display" i], [style*="visibility" i]'
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Looked for in the page's text first, at C speed: most pages have neither, and
# then the selectors (costly to compile) are not run.
_MAY_HIDE = re.compile(r"hidden|display|visibility", re.IGNORECASE)
_MAY_FORM = re.compile(r"<(?:button|select|textarea|noscript)", re.IGNORECASE)
_TABLE_TAG = re.compile(r"<table", re.IGNORECASE)
# Hidden text is left out of the report when it is at most this share of the page.
_MAX_HIDDEN_SHARE = 0.5
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8"}
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# A page is taken for GB18030 against its declaration only with this much
# Chinese, nearly all of it in GB2312 (both bytes 0xA1 or above): Latin-1 text
# read as GB18030 pairs an accented letter with the ASCII letter after it.
_MIN_CJK, _MIN_GB2312_SHARE = 20, 0.9


def decode_html(data: bytes) -> str:
    """Decode a page: BOM, else UTF-8, else the ``<meta>`` charset, else GB18030.

    A page that is none of them strictly is decoded with replacement
    characters, as a browser would show it. :func:`read_html` also says, in
    diagnostics, when a declared charset was overridden or ignored.
    """
    return _decode(data)[0]


def _declared(data: bytes) -> tuple[str | None, Diagnostic | None]:
    m = _META_CHARSET.search(data[:8192])
    if m is None:
        return None, None
    label = m[1].decode("ascii").lower()
    try:
        info = codecs.lookup(_ALIASES.get(label, label))
    except LookupError:
        info = None
    # Browsers read a page declaring UTF-16/32 without a BOM as UTF-8 (its bytes are
    # ASCII-compatible, or it could not have declared it); rot13 or hex is no text.
    if info is None or not getattr(info, "_is_text_encoding", True) \
            or info.name.startswith(("utf-16", "utf-32")):
        return None, Diagnostic("charset-ignored", f"the page declares charset {label!r}, which "
                                "is not a text encoding a page can be in; ignored", 1, raw=label)
    return info.name, None


def _gb18030_instead(data: bytes) -> str | None:
    """The page read as GB18030 when that reads it cleanly as Chinese text."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    chinese = _CJK.findall(text)
    if len(chinese) < _MIN_CJK:
        return None
    wide = [c for c in text if ord(c) > 0x7F][:5000]
    in_gb2312 = sum(1 for c in wide if len(c.encode("gb2312", errors="ignore")) == 2
                    and c.encode("gb2312")[1] >= 0xA1)
    return text if in_gb2312 >= _MIN_GB2312_SHARE * len(wide) else None


def _decode(data: bytes) -> tuple[str, list[Diagnostic]]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").lstrip("\ufeff"), []
    declared, ignored = _declared(data)
    diags = [ignored] if ignored is not None else []
    # Valid UTF-8 with any non-ASCII byte is UTF-8 whatever the page declares: GBK
    # text almost never is valid UTF-8, while pages re-saved as UTF-8 often keep
    # their old GBK declaration.
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), diags
    if declared not in (None, "utf-8", "gb18030"):
        assert declared is not None
        try:
            text: str | None = data.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and _CJK.search(text) is None:
            gb = _gb18030_instead(data)
            if gb is not None:
                diags.append(_overridden(declared, "has no Chinese in it"))
                return gb, diags
        if text is not None:
            return text, diags
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode(declared or "gb18030", errors="replace"), diags
    if declared not in (None, "utf-8", "gb18030"):
        assert declared is not None
        diags.append(_overridden(declared, "cannot decode it"))
    return text, diags


def _overridden(declared: str, why: str) -> Diagnostic:
    return Diagnostic("charset-override", f"the page declares charset {declared}, which "
                      f"{why}; it was read as GB18030 (GBK), which reads it as Chinese text",
                      1, raw=declared)


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


_LEADING_DIGITS = re.compile(r"\s*([0-9]+)")


def _span(value: str | None, limit: int) -> int:
    # Browsers read the leading digits ("2px" is 2) and clamp to the spec's limits.
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit()):
        m = _LEADING_DIGITS.match(value)
        if m is None:
            return 1
        value = m[1]
    # Ten digits are past every limit: a longer run is not worth converting.
    n = int(value[:10]) if len(value) <= 10 else limit
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


def _holding_tables(tree: LexborHTMLParser) -> set[int]:
    """The tables (by ``mem_id``) with a table inside, found in one pass over the tables.

    A table holding tables holds one whose nearest enclosing table it is, so
    marking each table's nearest enclosing table marks them all; asking each
    table for the tables inside it would be quadratic in nested tables.
    """
    holding: set[int] = set()
    for table in tree.tags("table"):
        node = table.parent
        while node is not None and node.tag != "table":
            node = node.parent
        if node is not None:
            holding.add(node.mem_id)
    return holding


def _is_data_table(table: LexborNode, holding: set[int]) -> bool:
    """A table of values, not page layout: no table inside, and more than one column."""
    if table.mem_id in holding:
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
        placed = spans.row(cells)
        if placed:
            out.spend(len(placed))
            rows.append(placed)
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



# ------------------------------------------------------------------------- nesting depth

# Tags whose end the parser implies (a new <p>, <td> or <li> closes the open one)
# and void elements: neither nests by itself, so neither counts for the depth.
_UNCOUNTED = frozenset({
    "p", "li", "dt", "dd", "td", "th", "tr", "tbody", "thead", "tfoot", "option",
    "optgroup", "rb", "rt", "rtc", "rp", "colgroup", "caption", "html", "head", "body",
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
})
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                       "noframes"})
_FOREIGN = frozenset({"svg", "math"})
_TAG = re.compile(r"<(!--|/?)([A-Za-z][^\s/>]*)?")
# Tag openings that are never of a counted element: end tags, comments and the
# commonest uncounted tags. What is left of the "<" bounds the depth from above,
# so most pages skip the scan after one regex pass.
_MAYBE_COUNTED = re.compile(r"<(?!/|!--|(?:td|tr|p|br|li|th|img)[\s/>])", re.IGNORECASE)


def _cap_depth(text: str, max_depth: int) -> tuple[str, int, int]:
    """``text`` without the tags of elements nested deeper than ``max_depth``.

    Returns the text, how many tags were dropped, and the deepest nesting
    seen. A linear scan that follows the parser closely enough: elements
    whose end is implied or that are void do not count, an end tag closes up
    to its open element, comments and raw text (``<script>`` …) are skipped.
    """
    if len(_MAYBE_COUNTED.findall(text)) <= max_depth:
        return text, 0, 0
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    open_count: dict[str, int] = {}
    depth = deepest = 0
    cut: list[tuple[int, int]] = []
    skip_to = 0
    foreign = 0
    for m in _TAG.finditer(text):
        at = m.start()
        if at < skip_to:
            continue
        if m[1] == "!--":
            end = text.find("-->", m.end())
            if end < 0:
                break
            skip_to = end + 3
            continue
        if m[2] is None:
            continue
        tag = m[2].lower()
        if tag in _UNCOUNTED:
            continue
        if m[1] == "/":
            if not open_count.get(tag):
                continue
            while stack:
                top, kept = stack.pop()
                open_count[top] -= 1
                depth -= kept
                foreign -= top in _FOREIGN
                if top == tag:
                    if not kept:
                        end = text.find(">", m.end())
                        cut.append((at, end + 1 if end >= 0 else m.end()))
                    break
            continue
        if tag == "plaintext":
            break  # all that follows is text
        if tag in _RAW_TEXT:
            close = re.compile(f"</{re.escape(tag)}", re.IGNORECASE).search(text, m.end())
            if close is None:
                break
            skip_to = close.end()
            continue
        if foreign:
            close_at = text.find(">", m.end(), m.end() + 2000)
            if close_at > 0 and text[close_at - 1] == "/":
                continue  # <path/>: self-closing in SVG and MathML only
        kept = depth < max_depth
        if not kept:
            end = text.find(">", m.end())
            cut.append((at, end + 1 if end >= 0 else m.end()))
        stack.append((tag, kept))
        open_count[tag] = open_count.get(tag, 0) + 1
        depth += kept
        deepest = max(deepest, len(stack))
        foreign += tag in _FOREIGN
    if not cut:
        return text, 0, deepest
    pieces: list[str] = []
    last = 0
    for begin, end in cut:
        if begin >= last:
            pieces.append(text[last:begin])
            last = end
    pieces.append(text[last:])
    return "".join(pieces), len(cut), deepest


# ------------------------------------------------------------------ text that is not report text

def _take_out(tree: LexborHTMLParser, selector: str, hidden: bool) -> tuple[list[str], bool]:
    """Remove the outermost elements ``selector`` matches; their texts, in page order.

    Hidden elements holding most of the page's text are left in place (the
    second value is then ``False``): that is a tab or print view a script
    shows, and the report is in it.
    """
    found = tree.css(selector)
    if hidden:
        found = [n for n in found if "hidden" in n.attributes
                 or _HIDDEN_STYLE.search(n.attributes.get("style") or "")]
    chosen = {n.mem_id for n in found}
    outermost = []
    for node in found:
        parent = node.parent
        while parent is not None and parent.mem_id not in chosen:
            parent = parent.parent
        if parent is None:
            outermost.append(node)
    texts = [t for t in (collapse(n.text(deep=True)).strip() for n in outermost) if t]
    if hidden and texts:
        page = tree.body.text(deep=True) if tree.body is not None else ""
        if sum(map(len, texts)) > _MAX_HIDDEN_SHARE * len(collapse(page).strip()):
            return texts, False
    for node in outermost:
        node.decompose()
    return texts, True


def _pre_text(pre: LexborNode) -> str:
    parts: list[str] = []
    stack = [pre]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == "-text":
            parts.append(node.text_content or "")
            continue
        if tag is None or tag.startswith("-") or tag in _SKIP:
            continue
        # A table or paragraph inside the <pre> is rare; its rows and cells are kept
        # apart as a Word export's text would be (rows on lines, cells by TABs).
        if tag in ("br", "tr", "p", "div", "li"):
            parts.append("\n")
        elif tag in _CELLS:
            parts.append("\t")
        stack.extend(reversed(list(_children(node))))
    return "".join(parts)


def _read_pre(pre: LexborNode, out: DocumentBuilder, limits: Limits) -> None:
    # Preformatted text is a text file inside the page: its layout is found as for one.
    from govreport import layouts
    from govreport.pipeline import split_lines

    lines = split_lines(_pre_text(pre))
    if not any(line.strip() for line in lines):
        return
    check_lines(lines, limits)
    out.splice(layouts.detect(lines).read(lines), len(lines))


def read_html(data: bytes | str, *, limits: Limits | None = None) -> Document:
    """Read a web page (bytes in any declared encoding, or text) into a Document.

    Raises:
        MissingExtra: selectolax is not installed (``pip install 'govreport[html]'``).
        LimitExceeded: tables of more than ``limits.max_cells`` cells.

    """
    limits = limits or DEFAULT_LIMITS
    parser = _parser()
    text, diags = _decode(data) if isinstance(data, bytes) else (data, [])
    text, dropped, deepest = _cap_depth(text, limits.max_html_depth)
    out = DocumentBuilder("html", limits.max_cells)
    out.diagnostics.extend(diags)
    if dropped:
        out.warn("html-depth", f"elements are nested {deepest:,} deep, past the limit "
                 f"max_html_depth={limits.max_html_depth:,}: the {dropped:,} tags past it were "
                 "dropped before parsing, their text kept")
    tree = parser(text)
    hidden, removed = _take_out(tree, _HIDDEN, True) if _MAY_HIDE.search(text) else ([], True)
    form, _ = _take_out(tree, _FORM, False) if _MAY_FORM.search(text) else ([], True)
    # After hidden text is taken out: a hidden heading is no evidence of the title.
    titles = page_titles(tree)
    if hidden and removed:
        out.warn("hidden-text", f"{len(hidden)} pieces of text hidden from view (hidden, "
                 "display:none, visibility:hidden) are not read as report text; they are in raw",
                 raw=" ".join(hidden))
    elif hidden:
        out.warn("hidden-text", f"{len(hidden)} pieces of text hidden from view (hidden, "
                 "display:none, visibility:hidden) hold most of the page's text, so they are a "
                 "view a script shows: read as report text")
    if form:
        out.warn("form-text", f"the text of {len(form)} form controls or <noscript> (buttons, "
                 "menus, text boxes) is not read as report text; it is in raw", raw=" ".join(form))
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return attrs.evolve(out.document(), titles=titles)
    tables = _TABLE_TAG.finditer(text)
    holding = _holding_tables(tree) if next(tables, None) and next(tables, None) else set()
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
        if tag == "pre":
            flush()
            _read_pre(node, out, limits)
            continue
        if tag == "table" and _is_data_table(node, holding):
            flush()
            _read_table(node, out)
            continue
        if tag in _BLOCK:
            flush()
            stack.append((node, True))
        stack.extend((c, False) for c in reversed(list(_children(node))))
    flush()
    return attrs.evolve(out.document(), titles=titles)
