"""How the scorer compares names: one normal form, and "stands inside a longer name".

The gold files list names as written; the graph stores them as the extractor read them
from a text with curly quotes, odd dashes and hard line wraps. Two names are the same
name when their normal forms are equal (see :func:`normalise_name`).
"""

from __future__ import annotations

import re
import unicodedata

# Characters replaced before comparison. Single quotes and apostrophes become "'",
# double quotes '"', every dash and hyphen "-"; soft hyphens and zero-width spaces go.
_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (and typographic apostrophe)
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u02bc": "'",  # modifier letter apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_WHITESPACE = re.compile(r"\s+")
_LEADING_THE = "the "


def normalise_name(name: str) -> str:
    """The form in which two names are compared.

    Unicode NFC; curly quotes and apostrophes straightened; every dash (-, –, —, …)
    turned into "-"; runs of whitespace (line breaks included) collapsed to one space and
    trimmed; case folded; one leading "the " dropped.

    >>> normalise_name("The  Republic\\nof Kazakhstan")
    'republic of kazakhstan'
    >>> normalise_name("People\u2019s Republic") == normalise_name("People's Republic")
    True
    >>> normalise_name("2016\u20132018 Programme")
    '2016-2018 programme'
    """
    text = unicodedata.normalize("NFC", name).translate(_TRANSLATION)
    text = _WHITESPACE.sub(" ", text).strip().casefold()
    if text.startswith(_LEADING_THE):
        text = text[len(_LEADING_THE) :]
    return text


def stands_inside(name: str, longer: str) -> bool:
    """Whether normalised ``name`` occurs as whole words inside the longer normalised name.

    Whole words: "un" stands inside "un charter" but not inside "development fund".

    >>> stands_inside("minsk", "the minsk agreements")
    True
    >>> stands_inside("un", "sco development fund")
    False
    >>> stands_inside("astana", "astana")
    False
    """
    if not name or len(longer) <= len(name):
        return False
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", longer) is not None
