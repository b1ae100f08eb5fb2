"""Raw document text to clean text, remembering where every clean character came from.

Documents arrive as found in the wild: hard line wraps, page-break blank lines in the middle
of a sentence, debris lines left by PDF conversion ("v", "\\%", page numbers), Markdown
decoration, curly quotes and odd spaces. :func:`clean` turns such a text into one line per
paragraph (paragraphs separated by a single ``"\\n"``, lines of a paragraph joined by a
space) and keeps, for every clean character, its index in the raw text, so that anything
found in the clean text can be traced back to the exact raw characters.

How a line break is read:

* a single line break inside a hard-wrapped paragraph joins the lines with a space;
* a blank line ends the paragraph, unless the text shows that the sentence runs on: the
  next line starts in lower case, or the line before ends with a comma, a hyphen, an open
  bracket, a number or a word that cannot end a sentence ("the", "of", "and" ...);
* a short line without final punctuation before a blank line is a heading;
* "Long-" at a line end followed by "Term" becomes "Long-Term" (the hyphen stays).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scokg.errors import InputError
from scokg.extract.dates import months

# --------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus, for each clean character, its index in the raw text.

    ``offsets[i]`` is the raw index of clean character ``i``; ``offsets[len(text)]`` is an
    end sentinel equal to the length of the raw text. Offsets never decrease. A character
    that the cleaning inserted (the space or newline that replaces a line break) points at
    the raw line terminator it stands for.
    """

    text: str
    offsets: list[int]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span ``[start, end)`` to the raw span it came from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside the clean text of {len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def clean_index(self, raw_index: int) -> int:
        """The first clean character whose raw index is at or after ``raw_index``."""
        return bisect.bisect_left(self.offsets, raw_index, 0, len(self.text))

    def paragraph_spans(self) -> list[tuple[int, int]]:
        """Clean ``[start, end)`` of every paragraph, in order (never empty)."""
        spans = []
        start = 0
        for index, char in enumerate(self.text):
            if char == "\n":
                if index > start:
                    spans.append((start, index))
                start = index + 1
        if len(self.text) > start:
            spans.append((start, len(self.text)))
        return spans


# --------------------------------------------------------------------------------------
# Characters

_DROPPED = frozenset(
    "\u00ad"  # soft hyphen
    "\u200b\u200c\u200d\u2060\ufeff\u180e"  # zero-width characters, byte order mark
)
_SPACES = frozenset(
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_REPLACED = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2039": "'",
    "\u203a": "'",
    "\u02bc": "'",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def normalize_char(char: str) -> str:
    """What one raw character becomes in the clean text ("" when it is dropped).

    Curly quotes and guillemets become straight quotes, odd spaces a space, ligatures their
    letters; soft hyphens, zero-width characters and control characters disappear. Dashes
    (en, em) stay as they are.
    """
    if char in _REPLACED:
        return _REPLACED[char]
    if char in _SPACES:
        return " "
    if char in _DROPPED:
        return ""
    if char < " " or "\x7f" <= char <= "\x9f":
        return ""
    return char


# --------------------------------------------------------------------------------------
# Lines

# Line terminators; a form feed or paragraph separator also marks a page/paragraph break.
_TERMINATOR = re.compile("\r\n|[\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
_PAGE_BREAKS = frozenset("\f\u2029")

# A horizontal rule ("---", "* * *", "___") or a setext underline ("===").
_RULE = re.compile(r"^(?:(?:([-*_])\s*)(?:\1\s*){2,}|=+)$")

# A line that is only PDF-conversion debris.
_DEBRIS = re.compile(
    r"""^(?:
        \\?[^\w\s]{1,3}                             # a stray symbol: "%", "\%", "•", "§"
      | [a-z\u00d8\u00fc]                           # a Wingdings bullet read as "v", "l", "Ø"
      | \d{1,3}                                     # a page number
      | [-\u2013\u2014]\s*\d{1,3}\s*[-\u2013\u2014]  # "- 3 -"
      | (?i:page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?   # "Page 3 of 12"
      | \d{1,3}\s*/\s*\d{1,3}                       # "3/12"
      | (?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})           # a lower-case roman page number
    )$""",
    re.VERBOSE,
)

# Markdown block markers at the start of a line.
_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_QUOTE_MARK = re.compile(r"^(?:\s{0,3}>\s?)+")
_BULLET = re.compile("^\\s*[-*+\u2022\u25cf\u25aa\u25e6\u2023\u00b7\u25a0]\\s+")
_NUMBERED = re.compile(r"^\s*(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})\)|\d{1,3}\.)\s+")
# A line wholly in emphasis (`*2017 / 06 / 09*`, `**Title**`) is a block of its own.
_EMPHASIS_LINE = re.compile(r"^(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1$")

# Inline Markdown: each pattern keeps group 1 and drops the rest of the match.
_INLINE = (
    re.compile(r"\\([\\`*_{}\[\]()#+\-.!%&$<>|~^])"),  # backslash escape: "\%" -> "%"
    re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # [text](url) -> text
    re.compile(r"<((?:https?|ftp)://[^\s>]+|mailto:[^\s>]+|www\.[^\s>]+)>"),  # <http://...>
    re.compile(r"`([^`\n]+)`"),  # `code`
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),  # **strong**
    re.compile(r"(?<![\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)"),  # __strong__
    re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])"),  # *emphasis*
    re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)"),  # _emphasis_
)


@dataclass
class _Line:
    """One raw line after character normalisation and Markdown stripping."""

    text: str
    idx: list[int]  # raw index of every character of ``text``
    end: int  # raw index of the line terminator (len(raw) for the last line)
    kind: str = "text"  # "text", "blank", "debris" or "rule"
    block: bool = False  # a Markdown heading or a line wholly in emphasis
    item: bool = False  # a list item
    soft_end: bool = False  # the raw line ended with a soft hyphen
    page_break: bool = False  # the terminator is a form feed or paragraph separator


def _split_lines(raw: str) -> list[tuple[int, int, bool]]:
    """``(start, end, page_break)`` of each raw line, terminator excluded."""
    lines = []
    start = 0
    for match in _TERMINATOR.finditer(raw):
        lines.append((start, match.start(), match.group() in _PAGE_BREAKS))
        start = match.end()
    if start < len(raw):
        lines.append((start, len(raw), False))
    return lines


def _keep(chars: list[str], idx: list[int], keep: list[bool]) -> tuple[list[str], list[int]]:
    return (
        [c for c, k in zip(chars, keep, strict=True) if k],
        [i for i, k in zip(idx, keep, strict=True) if k],
    )


def _drop_spans(
    chars: list[str], idx: list[int], spans: Iterable[tuple[int, int]]
) -> tuple[list[str], list[int]]:
    keep = [True] * len(chars)
    for start, end in spans:
        for position in range(start, end):
            keep[position] = False
    return _keep(chars, idx, keep)


def _strip_markup(
    pattern: re.Pattern[str], chars: list[str], idx: list[int]
) -> tuple[list[str], list[int]]:
    """Drop what ``pattern`` matches except its group 1."""
    spans = []
    for match in pattern.finditer("".join(chars)):
        spans.append((match.start(), match.start(1)))
        spans.append((match.end(1), match.end()))
    if not spans:
        return chars, idx
    return _drop_spans(chars, idx, spans)


def _collapse(chars: list[str], idx: list[int]) -> tuple[list[str], list[int]]:
    """Collapse runs of spaces into one (the first) and strip both ends."""
    keep = []
    previous = " "
    for char in chars:
        keep.append(not (char == " " and previous == " "))
        previous = char
    chars, idx = _keep(chars, idx, keep)
    if chars and chars[-1] == " ":
        chars, idx = chars[:-1], idx[:-1]
    return chars, idx


_CHANGED_BY_CLEANING: re.Pattern[str] | None = None


def _changed_by_cleaning() -> re.Pattern[str]:
    """Any character that ``normalize_char`` does not keep as it is."""
    global _CHANGED_BY_CLEANING
    if _CHANGED_BY_CLEANING is None:
        odd = sorted(set(_REPLACED) | set(_SPACES) | set(_DROPPED))
        listed = "".join(re.escape(c) for c in odd)
        _CHANGED_BY_CLEANING = re.compile(f"[{listed}\x00-\x1f\x7f-\x9f]")
    return _CHANGED_BY_CLEANING


def _read_line(raw: str, start: int, end: int, page_break: bool) -> _Line:
    segment = raw[start:end]
    if _changed_by_cleaning().search(segment):
        chars: list[str] = []
        idx: list[int] = []
        for position in range(start, end):
            for char in normalize_char(raw[position]):
                chars.append(char)
                idx.append(position)
        chars, idx = _collapse(chars, idx)
    else:  # most lines: every character stays as it is
        chars, idx = list(segment), list(range(start, end))
        if "  " in segment or segment.startswith(" ") or segment.endswith(" "):
            chars, idx = _collapse(chars, idx)
    soft_end = segment.rstrip(" \t").endswith("\u00ad")
    line = _Line("", [], end, soft_end=soft_end, page_break=page_break)
    text = "".join(chars)
    if not text:
        line.kind = "blank"
        return line
    if _RULE.match(text):
        line.kind = "rule"
        return line
    if _DEBRIS.match(text):
        line.kind = "debris"
        return line

    for marker in (_HEADING_MARK, _QUOTE_MARK):
        match = marker.match(text)
        if match:
            line.block = line.block or marker is _HEADING_MARK
            chars, idx = chars[match.end() :], idx[match.end() :]
            text = "".join(chars)
    if line.block:
        match = _HEADING_CLOSE.search(text)
        if match:
            chars, idx = chars[: match.start()], idx[: match.start()]
    text = "".join(chars)
    bullet = _BULLET.match(text)
    if bullet:
        line.item = True
        chars, idx = chars[bullet.end() :], idx[bullet.end() :]
    elif _NUMBERED.match(text):
        line.item = True
    if _EMPHASIS_LINE.match("".join(chars)):
        line.block = True
    for pattern in _INLINE:
        chars, idx = _strip_markup(pattern, chars, idx)
    chars, idx = _collapse(chars, idx)
    line.text = "".join(chars)
    line.idx = idx
    if not line.text:
        line.kind = "blank"
    return line


# --------------------------------------------------------------------------------------
# Joining lines into paragraphs

# Words that cannot end a sentence: a line ending with one continues after a blank line.
_CONTINUATION_WORDS = frozenset(
    """a an the of and or nor but to in on at by for from with without within into onto
    upon over under between among amongst against towards toward about via per than as
    including such this that these those which whose whom who its their his her our your
    my is are was were be been being will would shall should may might can could must has
    have had not also both either neither each every all any some no""".split()
)
_FINAL = re.compile(r"[.!?:\u2026][\"')\]]*$")
_OPEN_END = re.compile(r"(?:[,;(\[{/&]|\s[-\u2013\u2014\"'])$")  # "," "(" " -" ' "'
_INITIAL_END = re.compile(r"(?:^|\s)[A-Z]\.$")  # "President V." + "Putin"
_ATTACHED_DASH = re.compile(r"\w[-\u2013\u2014]$")
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_SHORT_LINE = 60  # without a wrap width, a line shorter than this may be a heading
_WRAP_EVIDENCE = 3  # mid-sentence single line breaks needed to call a text hard-wrapped
_FEW_LINES = 10  # with fewer wrapped lines the width is the longest, not the 90th percentile
_HEADING_SHARE = 0.5  # in wrapped text, a line under half the width is not a wrapped one


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it is not wrapped.

    Evidence of wrapping: lines that end mid-sentence (no final punctuation) and go on in
    the next line after a single line break. The width is the 90th percentile of the
    lengths of lines followed by a single line break.
    """
    lengths = []
    evidence = 0
    for first, second in zip(lines, lines[1:], strict=False):
        if first.kind == "text" and second.kind == "text" and not first.page_break:
            lengths.append(len(first.text))
            if not _FINAL.search(first.text) and not first.block and not second.block:
                evidence += 1
    if evidence < _WRAP_EVIDENCE:
        return None
    lengths.sort()
    if len(lengths) < _FEW_LINES:
        return lengths[-1]
    return lengths[int(0.9 * (len(lengths) - 1))]


def _fits(previous: _Line, following: _Line, width: int | None) -> bool:
    """Whether the next word would have fitted on the line: the break was deliberate."""
    if width is None:
        return len(previous.text) < _SHORT_LINE
    first_word = following.text.split(" ", 1)[0]
    return len(previous.text) + 1 + len(first_word) <= width


def _starts_sentence(line: _Line) -> bool:
    first = line.text[0]
    return first.isupper() or first.isdigit() or first in "\"'(["


def _runs_on(previous: _Line, following: _Line, depth: int, width: int | None) -> bool:
    """Evidence that the sentence of ``previous`` continues in ``following``."""
    if following.text[0].islower():
        return True
    text = previous.text
    if _OPEN_END.search(text):
        return True
    final = _FINAL.search(text)
    if depth > 0 and not final:
        return True  # an open bracket: "(29-30" / "September 2016, Bishkek)"
    if _INITIAL_END.search(text) and following.text[0].isupper():
        return True
    word = _LAST_WORD.search(text)
    if word and not final and word.group(1).lower() in _CONTINUATION_WORDS:
        return True
    if not text[-1].isdigit():
        return False
    # "(29-30" + "September 2016": a day before its month; otherwise a number ends a
    # sentence only on a line the next word would have fitted on ("Article 5" heading).
    first_word = following.text.split(" ", 1)[0].rstrip(".,")
    if first_word in months():
        return True
    # a capitalised line after a number starts anew (a headline ending in "2026-2027" before
    # its "BISHKEK, 12 March 2026 -" dateline); a number or lower-case word may run on
    return not following.text[0].isupper() and not _fits(previous, following, width)


def _joint(
    previous: _Line, following: _Line, blank: bool, hard: bool, depth: int, width: int | None
) -> str:
    """What replaces the break between two text lines: "\\n", " " or nothing."""
    if hard or previous.block or following.block or following.item:
        return "\n"
    if previous.soft_end or _ATTACHED_DASH.search(previous.text):
        return ""
    if _runs_on(previous, following, depth, width):
        return " "
    fits = _fits(previous, following, width)
    if blank:
        if _FINAL.search(previous.text) or fits or width is None:
            return "\n"
        return " "  # a full line without final punctuation: the sentence runs on
    if width is None:
        return "\n"
    # Inside hard-wrapped text (often wrapped by a proportional font, so line lengths vary)
    # a single line break ends a paragraph only after final punctuation on a line the next
    # word would have fitted on, or after a line too short to be a wrapped one (a heading).
    final = _FINAL.search(previous.text) is not None
    short = len(previous.text) < width * _HEADING_SHARE
    if _starts_sentence(following) and ((final and fits) or short):
        return "\n"
    return " "


def _bracket_depth(depth: int, text: str) -> int:
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
    return depth


@dataclass
class _Builder:
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def add(self, text: str, offsets: list[int]) -> None:
        self.chars.extend(text)
        self.offsets.extend(offsets)


def clean(raw: str) -> CleanText:
    """Clean ``raw``: one paragraph per line, with the raw index of every character."""
    lines = [_read_line(raw, *span) for span in _split_lines(raw)]
    width = _wrap_width(lines)
    out = _Builder()
    previous: _Line | None = None
    blank = hard = False
    depth = 0
    for line in lines:
        if line.kind in ("blank", "debris"):
            blank = True
            continue
        if line.kind == "rule":
            hard = True
            continue
        if previous is not None:
            joint = _joint(previous, line, blank or previous.page_break, hard, depth, width)
            out.add(joint, [previous.end] * len(joint))
            if joint == "\n":
                depth = 0
        out.add(line.text, line.idx)
        depth = _bracket_depth(depth, line.text)
        previous = line
        blank = hard = False
    return CleanText("".join(out.chars), out.offsets + [len(raw)])


# --------------------------------------------------------------------------------------
# Reading a document


def read_document(path: Path) -> str:
    """The text of a UTF-8 document (a leading byte order mark removed).

    Line endings are kept as they are, so offsets into the returned text are offsets into
    the file's characters. Raises :class:`InputError` naming the file when it is missing,
    not a file, unreadable, empty or blank, binary, or not UTF-8.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a text file")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    if not data:
        raise InputError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            path,
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded); save it as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # any() stops at the first character that cleaning keeps: in a real text, the first one.
    if not any(normalize_char(c).strip() for c in text):
        raise InputError(path, "the file contains only whitespace")
    return text
