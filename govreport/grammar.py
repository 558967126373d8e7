"""Loading the Lark grammars: package data, built once per process, cached on disk.

The ``.lark`` files live in the repository's top-level ``grammars/`` folder
and are shipped inside the wheel as ``govreport/grammars``; a plugin's form
keeps its grammar in its own package and may ``%import`` govreport's shared
ones (``common``). Parsers are built lazily, once per process; Lark's own
cache goes to a user cache directory, never into the installed package, so a
read-only site-packages works.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

__all__ = [
    "TokenStream",
    "Traversable",
    "build_parser",
    "cache_dir",
    "grammar_dir",
    "grammar_text",
    "parse_tokens",
    "token",
]


@functools.lru_cache(maxsize=1)
def grammar_dir() -> Traversable:
    """Where the grammars are: inside the installed package, else the source checkout."""
    # Cached: importlib.resources costs a third of a millisecond per call and
    # every table parse asks for it.
    packaged = resources.files("govreport").joinpath("grammars")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "grammars"


def grammar_text(name: str) -> str:
    """The text of grammar ``name`` (``"outline"`` reads ``outline.lark``)."""
    text: str = grammar_dir().joinpath(f"{name}.lark").read_text(encoding="utf-8")
    return text


def cache_dir() -> Path | None:
    """A writable directory for Lark's cache, or ``None`` to build without one.

    ``GOVREPORT_CACHE_DIR`` wins; then ``$XDG_CACHE_HOME/govreport``,
    ``~/.cache/govreport`` and the system temporary directory. Setting
    ``GOVREPORT_CACHE_DIR`` to an empty string turns the cache off.
    """
    env = os.environ.get("GOVREPORT_CACHE_DIR")
    if env is not None:
        candidates = [Path(env)] if env else []
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        home = Path(xdg) if xdg else Path.home() / ".cache"
        candidates = [home / "govreport", Path(tempfile.gettempdir()) / "govreport-cache"]
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(d, os.W_OK):
            return d
    return None


class TokenStream(Lexer):
    """A Lark "lexer" that hands over tokens the pre-lexer already made.

    govreport classifies whole lines and table rows itself, in one fast pass,
    so Lark sees tens of tokens per report instead of thousands of characters.
    """

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        """Yield the given tokens unchanged."""
        yield from data


class _ImportLoader:
    """Resolves ``%import``: the importing grammar's own folder, then govreport's.

    So a plugin's grammar can ``%import common (HEADER)``. The real path goes
    back to Lark so its cache notices when an imported grammar changes, and
    the repr is stable because Lark hashes it into the cache key.
    """

    def __init__(self, folder: Traversable) -> None:
        self.folder = folder

    def __repr__(self) -> str:
        return f"_ImportLoader({self.folder})"

    def __call__(self, base_path: Any, grammar_path: str) -> tuple[str, str]:
        file_name = f"{Path(grammar_path).stem}.lark"
        for d in (self.folder, grammar_dir()):
            candidate = d.joinpath(file_name)
            if candidate.is_file():
                return str(candidate), candidate.read_text(encoding="utf-8")
        raise OSError(f"no grammar {file_name} in {self.folder} or in govreport's grammars")


# Keyed on the folder's text: a Traversable need not be hashable, nor equal to
# another for the same folder.
_PARSERS: dict[tuple[str, Transformer[Any, Any], str], Lark] = {}


def build_parser(name: str, transformer: Transformer[Any, Any],
                 folder: Traversable | None = None) -> Lark:
    """The LALR parser of grammar ``name`` with ``transformer`` applied inline.

    ``folder`` holds ``<name>.lark`` (default: govreport's grammars); a
    grammar's ``%import`` is looked up there first, then among govreport's
    grammars (``%import common (HEADER)`` works from any package). Built once
    per (grammar, transformer, folder) per process.
    """
    folder = folder if folder is not None else grammar_dir()
    key = (name, transformer, str(folder))
    parser = _PARSERS.get(key)
    if parser is None:
        parser = _PARSERS[key] = _build_parser(name, transformer, folder)
    return parser


def _build_parser(name: str, transformer: Transformer[Any, Any], folder: Traversable) -> Lark:
    text: str = folder.joinpath(f"{name}.lark").read_text(encoding="utf-8")
    d = cache_dir()
    # One file per grammar folder: two installs (two virtualenvs, a checkout
    # and a wheel) would otherwise overwrite each other's cache on every start.
    where = hashlib.sha1(str(folder).encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    cache: str | bool = str(d / f"{name}-{where}.lark-cache") if d is not None else False
    return Lark(
        text,
        parser="lalr",
        lexer=TokenStream,
        transformer=transformer,
        propagate_positions=False,
        maybe_placeholders=False,
        import_paths=[_ImportLoader(folder)],
        cache=cache,
        source_path=f"{name}.lark",
    )


# A table of one template arrives as the same sequence of token types in
# report after report, so the LALR steps are worked out once per sequence and
# replayed: the same parse table and the same inline callbacks, without
# Lark's per-token dispatch. A sequence the grammar rejects goes to Lark
# itself, for its error.
_Step = tuple[int, Any, int]
"""Shift this many tokens, then reduce: (shifts, callback, number of children)."""


def parse_tokens(parser: Lark, tokens: Sequence[Token]) -> Any:
    """``parser.parse(tokens)`` for a parser of :func:`build_parser`, memoised by token types.

    Raises:
        lark.exceptions.UnexpectedInput: the tokens do not fit the grammar.

    """
    steps = _steps(parser, tuple([t.type for t in tokens]))
    if steps is None:
        # Tokens the grammar rejects (Lark raises its error), or a grammar with
        # terminal callbacks, which the replay does not make.
        return parser.parse(tokens)
    stack: list[Any] = []
    at = 0
    for shifts, callback, size in steps:
        if shifts:
            stack += tokens[at:at + shifts]
            at += shifts
        if size:
            children = stack[-size:]
            del stack[-size:]
        else:
            children = []
        stack.append(callback(children))
    return stack[-1]


@functools.lru_cache(maxsize=4096)  # bounded: memory stays flat over a corpus
def _steps(parser: Lark, types: tuple[str, ...]) -> tuple[_Step, ...] | None:
    """The shifts and reductions of an LALR parse of ``types``; None if it fails.

    Reads Lark's LALR table and callbacks (``Lark.parser.parser.parser``), as
    Lark 1.x lays them out; ``tests/test_grammar.py`` checks the replay against
    Lark's own parse.
    """
    lalr = parser.parser.parser.parser
    table, callbacks = lalr.parse_table, lalr.callbacks
    states = table.states
    start = parser.options.start[0]
    end_state = table.end_states[start]
    stack = [table.start_states[start]]
    steps: list[_Step] = []
    shifts = 0
    for kind in (*types, "$END"):
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return None
            if action[0] is Shift:
                if kind == "$END" or kind in callbacks:
                    return None  # not a grammar of build_parser: let Lark decide
                stack.append(action[1])
                shifts += 1
                break
            rule = action[1]
            size = len(rule.expansion)
            if size:
                del stack[-size:]
            steps.append((shifts, callbacks[rule], size))
            shifts = 0
            stack.append(states[stack[-1]][rule.origin.name][1])
            if kind == "$END" and stack[-1] == end_state:
                return tuple(steps)
    return None  # pragma: no cover - Lark's tables always end on $END


def token(kind: str, value: Any) -> Token:
    """A Lark token carrying any object (a line, a table row …) as its value.

    ``Token(kind, obj)`` would call ``str(obj)`` for the token's text; the
    objects' reprs are costly and the text is never used, so it stays empty.
    """
    # What Token._future_new does, without its call and keyword handling: a
    # report makes a hundred tokens. Lark's errors read the positions.
    tok: Token = _str_new(Token, "")
    tok.type = kind
    tok.value = value
    tok.start_pos = tok.line = tok.column = tok.end_line = tok.end_column = tok.end_pos = None
    return tok


_str_new = str.__new__
