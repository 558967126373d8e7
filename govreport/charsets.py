"""Which Chinese encoding a text that is not UTF-8 is in: GB18030 or Big5.

Simplified reports that are not UTF-8 are GB18030 (or its subsets GBK and
GB2312); Traditional ones (Taiwan, Hong Kong, some mainland reprints) are
Big5 (code page 950). Every Big5 byte sequence is also valid GB18030, so a
strict decode alone cannot tell them apart: Big5 text read as GB18030 is
gibberish of rare characters, kana and symbols. Each candidate is decoded
and judged by the share of its characters that are common Chinese text
(:func:`plausibility`); Big5 is taken only when it reads clearly better,
else GB18030 stays, as before.
"""

from __future__ import annotations

import functools

import attrs

from govreport.normalize import to_simplified

__all__ = ["Decoded", "decode_chinese", "plausibility"]

# Big5 is taken only when its text is plausible and GB18030's clearly less so: text
# decoded with the right encoding scores about 1 (less in a short text with rare
# characters, such as a place name), the wrong one at most about 0.75 (measured on
# reports of both scripts, 10 to 2 000 characters), mostly far less.
_PLAUSIBLE = 0.6
_MARGIN = 0.3
# Fewer non-ASCII characters than this say too little to take Big5 over GB18030.
_FEWEST = 4


@attrs.frozen
class Decoded:
    """Text decoded from bytes that are not UTF-8.

    Attributes:
        text: the text.
        encoding: ``"gb18030"`` or ``"big5"`` (code page 950, or Big5-HKSCS).
        ambiguous: both encodings gave plausible text and GB18030 was kept.
        doubtful: the text read does not look like Chinese text (another
            encoding, or not text): its characters may be wrong.

    """

    text: str
    encoding: str
    ambiguous: bool = False
    doubtful: bool = False


@functools.cache
def _common() -> frozenset[str]:
    """The characters of common Chinese text: GB2312's level-1 hanzi and its punctuation."""
    chars: set[str] = set()
    rows = [*range(0xB0, 0xD8), 0xA1, 0xA3]  # level-1 hanzi; punctuation; full-width ASCII
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars.discard("\u3000")
    return frozenset(chars)


def plausibility(text: str) -> float | None:
    """The share of ``text``'s non-ASCII characters that are common Chinese text.

    Traditional characters count as their Simplified forms. ``None`` when
    ``text`` has fewer than a few non-ASCII characters (nothing to judge by).
    """
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if len(wide) < _FEWEST:
        return None
    common = _common()
    simplified = to_simplified("".join(wide))
    return sum(c in common for c in simplified) / len(simplified)


def _big5(data: bytes) -> str | None:
    for codec in ("cp950", "big5hkscs"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def decode_chinese(data: bytes) -> Decoded | None:
    """Decode bytes that are not UTF-8 as GB18030 or Big5, whichever reads as Chinese text.

    GB18030 unless the Big5 reading is plausible Chinese text and the
    GB18030 one clearly is not. ``None`` when the bytes are neither.
    """
    try:
        gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    big5 = _big5(data)
    if big5 is None:
        if gb is None:
            return None
        return Decoded(gb, "gb18030", doubtful=_doubtful(gb, plausibility(gb)))
    big5_score = plausibility(big5)
    if gb is None:
        return Decoded(big5, "big5") if big5_score is not None and \
            big5_score >= _PLAUSIBLE else None
    gb_score = plausibility(gb)
    if big5_score is None or gb_score is None:
        return Decoded(gb, "gb18030", doubtful=_doubtful(gb, gb_score))
    if big5_score >= _PLAUSIBLE and big5_score - gb_score >= _MARGIN:
        return Decoded(big5, "big5")
    ambiguous = big5_score >= _PLAUSIBLE and gb_score - big5_score < _MARGIN
    return Decoded(gb, "gb18030", ambiguous=ambiguous, doubtful=_doubtful(gb, gb_score))


# A text read as GB18030 with fewer common characters than this share, among at
# least _ENOUGH non-ASCII ones, is said to be doubtful (Japanese or Korean text, a
# Latin-1 file): read all the same, as before, with a diagnostic.
_DOUBTFUL_BELOW = 0.5
_ENOUGH = 20


def _doubtful(text: str, score: float | None) -> bool:
    if score is None or score >= _DOUBTFUL_BELOW:
        return False
    return sum(1 for c in text if ord(c) > 0x7F and not c.isspace()) >= _ENOUGH
