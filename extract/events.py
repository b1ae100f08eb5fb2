"""Events: names written in lower case or in quotes, when and where each was held, and which
mentions in one document are the same event.

* "the meeting of the Council of <body> of ..." / "a session of the ..." - a meeting of
  a body, named by the body (data/meeting_words.tsv);
* "Tashkent process", "Energy Club meetings", "Sky Shield exercises", "UN General Assembly
  special session on water" - a capitalised name followed by a lower-case event noun
  (data/lowercase_heads.tsv);
* 'joint drills "Sky Shield 2031"', 'a youth campaign, "Rivers Without Borders"' - a quoted
  title after an event word;
* after each event: "(2-6 May 2031, Osh)", "took place on 3-4 May 2031 in Osh", "that will
  be held in Osh from 1 May to 1 August this year" - its dates and places;
  a list entry with two dates and two places is two events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scokg.extract import lexicon
from scokg.extract.chunks import ARTICLES, COLLECTIVES, FUNCTION_CAPS, is_name_token, runs
from scokg.extract.dates import DateSpan
from scokg.extract.spans import Span
from scokg.extract.tokens import Token

# Event words before a quoted title, with the meeting flag of the event they introduce.
QUOTE_TRIGGERS = {
    "event": True,
    "events": True,
    "forum": True,
    "symposium": True,
    "seminar": True,
    "summit": True,
    "session": True,
    "dialogue": True,
    "exercise": False,
    "exercises": False,
    "drills": False,
    "operation": False,
    "campaign": False,
    "festival": False,
    "contest": False,
    "competition": False,
    "marathon": False,
    "exhibition": False,
    "games": False,
    "tournament": False,
    "championship": False,
    "action": False,
    "week": False,
    "table": True,
    "conference": True,
    "reception": True,
}
# Words that may stand between an event word and the quoted name it introduces.
FRAMEWORK_WORDS = frozenset(
    {"within", "the", "framework", "of", "under", "as", "part", "series", "a", "an"}
)
# Words between a quoted title and its trigger that make the quote a theme, not a name.
THEME_WORDS = frozenset({"theme", "themed", "motto", "slogan", "title", "entitled", "topic"})
# Words before a lower-case meeting noun that say which meeting of a body is meant.
NEXT_WORDS = frozenset({"next", "forthcoming", "upcoming", "coming"})
PREVIOUS_WORDS = frozenset({"previous", "last", "past", "preceding", "former"})
CURRENT_WORDS = frozenset({"current", "present", "this", "today's", "ongoing", "now"})
# Words that may stand between an event's name and its date and place.
WINDOW_WORDS = frozenset(
    """held was were is are be been being will would to took take takes taking place that which
    convened organised organized hosted opened on in at from till until the of , " ' scheduled venue
    between began started planned successfully jointly also via by videoconference
    video-conference conference format online virtually remotely where during there""".split()
)
# Words that make a year a vague time, not a date ("early 2022", "autumn 2028").
VAGUE_TIMES = frozenset(
    {
        "early",
        "late",
        "mid",
        "autumn",
        "fall",
        "spring",
        "summer",
        "winter",
        "beginning",
        "end",
        "half",
        "quarter",
        "first",
        "second",
    }
)
# Verbs after which the date and place of an event follow, maybe after a few other words.
HELD_WORDS = frozenset({"held", "place", "convened", "hosted", "organised", "organized", "opened"})
SKIP_AFTER_HELD = 8
# "ended on 21 March", "closed on ...": the end of a range begun with "began on ...".
END_WORDS = frozenset({"ended", "closed", "concluded", "finished"})
SESSION_ADJECTIVES = frozenset(
    {
        "special",
        "extraordinary",
        "regular",
        "annual",
        "plenary",
        "high-level",
        "informal",
        "jubilee",
        "outreach",
        "restricted",
        "extended",
        "expanded",
        "narrow-format",
        "enlarged",
    }
)


@dataclass
class Occasion:
    """One dated, placed occurrence read from the text after an event's name."""

    date: DateSpan | None = None
    places: list[Span] = field(default_factory=list)


@dataclass
class EventMention:
    span: Span | None  # None for "the meeting" referring back to the main event
    sentence: int
    modifier: str | None = None  # "next", "previous", "current"
    occasions: list[Occasion] = field(default_factory=list)
    body: str | None = None  # entity ref of the body that met


def lowercase_events(
    tokens: Sequence[Token], text: str, lo: int, hi: int, spans: Sequence[Span]
) -> list[Span]:
    """Events named with lower-case nouns around capitalised names."""
    out: list[Span] = []
    ends: dict[int, Span] = {}
    for s in spans:
        if s.type in {"Organisation", "City", "State", "Event"} or s.source == "chunk-free":
            if s.end not in ends or ends[s.end].start > s.start:
                ends[s.end] = s
    starts: dict[int, Span] = {}
    for s in spans:
        if s.type == "Organisation" and (s.start not in starts or starts[s.start].end < s.end):
            starts[s.start] = s
    meeting_words = lexicon.meeting_words()
    low_heads = lexicon.lowercase_heads()
    k = lo
    while k < hi:
        word = tokens[k].text
        # "meeting of the <Organisation>"
        if word in meeting_words and k + 2 < hi and tokens[k + 1].text == "of":
            m = k + 2
            while m < hi and tokens[m].text in ARTICLES:
                m += 1
            body = starts.get(m)
            if body is None and m < hi and tokens[m].text in COLLECTIVES:
                body = _collective_body(tokens, text, m, hi)
            if body is not None:
                out.append(
                    Span(
                        start=k,
                        end=body.end,
                        type="Event",
                        ref="",
                        names=[text[tokens[k].start : tokens[body.end - 1].end]],
                        source="pattern",
                        subtype="Meeting",
                        meeting=meeting_words[word],
                        attrs={"body": "|".join(body.names)},
                    )
                )
        # "<Name> meetings", "<Name> process", "<Org> special session on <topic>"
        start_k = k
        adjective = (
            (
                word in SESSION_ADJECTIVES
                or (k > lo and tokens[k - 1].text == "+" and word.islower())
            )
            and k + 1 < hi
            and tokens[k + 1].text in low_heads
        )
        head_k = k + 1 if adjective else k
        if tokens[head_k].text in low_heads and head_k < hi:
            before = ends.get(start_k)
            run_start = None
            if before is not None:
                run_start = before.start
            elif start_k > lo and (
                is_name_token(tokens[start_k - 1]) or tokens[start_k - 1].text == "+"
            ):
                m = start_k
                while m > lo and (
                    (is_name_token(tokens[m - 1]) and tokens[m - 1].text not in FUNCTION_CAPS)
                    or (tokens[m - 1].text == "+" and m - 2 >= lo and tokens[m - 2].is_acronym)
                ):
                    m -= 1
                if m < start_k - 1 and not tokens[m].is_year:
                    run_start = m  # "Council meeting" alone refers back; it names nothing
            if run_start is not None:
                head = low_heads[tokens[head_k].text]
                end = head_k + 1
                if end + 1 < hi and tokens[end].text == "on":
                    m = end + 1
                    while m < hi and m - end < 8:
                        t = tokens[m]
                        if (
                            not t.is_word
                            or t.is_cap
                            or t.text in {"held", "that", "which", "in", "at"}
                        ):
                            break
                        m += 1
                    if m > end + 1:
                        end = m
                attrs = {}
                if before is not None and before.type == "Organisation":
                    attrs["body"] = "|".join(before.names)
                if tokens[head_k].text == "summit":
                    # "the Qingdao summit" names a summit; "the SCO summit" only when dated
                    attrs["weak"] = (
                        "city" if before is not None and before.type == "City" else "org"
                    )
                if adjective:
                    attrs["key"] = " ".join(
                        t.text.lower() for t in tokens[run_start:end] if t.text != "+"
                    )
                out.append(
                    Span(
                        start=run_start,
                        end=end,
                        type="Event",
                        ref="",
                        names=[text[tokens[run_start].start : tokens[end - 1].end]],
                        source="pattern",
                        subtype=head.subtype,
                        meeting=head.meeting,
                        attrs=attrs,
                    )
                )
        described = _described_event(tokens, text, k, lo, hi)
        if described is not None:
            out.append(described)
        k += 1
    return out


# "a reception marking the 25th anniversary of ...", "a ceremony devoted to ...": an event
# named by what it is for (kept only when the text says when or where it was held).
DESCRIBED_NOUNS = {
    "reception": True,
    "ceremony": False,
    "celebration": False,
    "concert": False,
    "gala": False,
    "conference": True,
    "forum": True,
    "seminar": True,
}
DESCRIBERS = (
    "marking",
    "celebrating",
    "commemorating",
    "devoted to",
    "dedicated to",
    "on the occasion of",
)


def _described_event(tokens: Sequence[Token], text: str, k: int, lo: int, hi: int) -> Span | None:
    word = tokens[k].text
    if word in SESSION_ADJECTIVES and k + 1 < hi and tokens[k + 1].text in {"session", "meeting"}:
        # 'outreach session in the "SCO+" format'
        m = k + 2
        if m + 4 < hi and [t.text for t in tokens[m : m + 3]] == ["in", "the", '"']:
            close = next((x for x in range(m + 3, min(hi, m + 9)) if tokens[x].text == '"'), None)
            if close is not None and close + 1 < hi and tokens[close + 1].text == "format":
                quoted = "".join(t.text for t in tokens[m + 3 : close] if t.text != "+")
                return Span(
                    start=k,
                    end=close + 2,
                    type="Event",
                    ref="",
                    names=[text[tokens[k].start : tokens[close + 1].end]],
                    source="pattern",
                    subtype="Meeting",
                    meeting=True,
                    attrs={"key": f"{quoted.lower()} {word} {tokens[k + 1].text}"},
                )
    if word not in DESCRIBED_NOUNS:
        return None
    rest = text[tokens[k].end : tokens[hi - 1].end]
    describer = next((d for d in DESCRIBERS if rest.startswith(" " + d + " ")), None)
    if describer is None:
        return None
    m = k + 1 + len(describer.split())
    end = m
    while m < hi and m - k < 25:
        t = tokens[m]
        if t.text in {",", "(", ")", ".", ";", '"'} or t.text in {
            "was",
            "were",
            "took",
            "held",
            "is",
        }:
            break
        m += 1
        end = m
    if end <= k + 2 or not any(tokens[x].is_cap for x in range(k + 1, end)):
        return None
    return Span(
        start=k,
        end=end,
        type="Event",
        ref="",
        names=[text[tokens[k].start : tokens[end - 1].end]],
        source="pattern",
        subtype="Meeting" if DESCRIBED_NOUNS[word] else None,
        meeting=DESCRIBED_NOUNS[word],
        attrs={"weak": "described"},
    )


def quoted_events(
    tokens: Sequence[Token], text: str, lo: int, hi: int, spans: Sequence[Span]
) -> list[Span]:
    """Events named by a quoted title after an event word, and event names extended by a
    quoted title right after them ('Youth Forum of the SCO "Development of ..."')."""
    out: list[Span] = []
    event_end = {s.end: s for s in spans if s.type == "Event" and not s.nested}
    k = lo
    while k < hi:
        if tokens[k].text != '"':
            k += 1
            continue
        close = next((m for m in range(k + 1, min(hi, k + 30)) if tokens[m].text == '"'), None)
        if close is None or close == k + 1:
            k += 1
            continue
        inner = tokens[k + 1 : close]
        if not (inner[0].is_cap or inner[0].is_number):
            k = close + 1
            continue
        # the word before the quote, skipping one comma
        b = k - 1
        if b >= lo and tokens[b].text == ",":
            b -= 1
        trigger = tokens[b].text.lower() if b >= lo else ""
        # 'exercises within the framework of the "Peace Mission"'
        look = b
        while (
            look > lo
            and look > k - 8
            and (tokens[look].text.lower() in FRAMEWORK_WORDS or tokens[look].text.islower())
            and tokens[look].text.lower() not in QUOTE_TRIGGERS
        ):
            look -= 1
        if trigger not in QUOTE_TRIGGERS and tokens[look].text.lower() in QUOTE_TRIGGERS:
            trigger = tokens[look].text.lower()
        theme = any(tokens[m].text.lower() in THEME_WORDS for m in range(max(lo, k - 3), k))
        quoted = text[inner[0].start : inner[-1].end]
        if not theme and b + 1 in event_end and tokens[b + 1 - 1].end <= tokens[k].start:
            base = event_end[b + 1]
            full = text[tokens[base.start].start : tokens[close].end]
            base.names.insert(0, full)
            base.end = close + 1
            event_end[base.end] = base
        elif not theme and trigger in QUOTE_TRIGGERS:
            subtype = "Exercise" if trigger.startswith(("exercise", "drill")) else None
            meeting = QUOTE_TRIGGERS[trigger]
            out.append(
                Span(
                    start=k + 1,
                    end=close,
                    type="Event",
                    ref="",
                    names=[quoted],
                    source="pattern",
                    subtype="Meeting" if meeting else subtype,
                    meeting=meeting,
                )
            )
        k = close + 1
    return out


PlaceAt = Callable[..., Span | None]


def _collective_body(tokens: Sequence[Token], text: str, m: int, hi: int) -> Span | None:
    """ "the Ministers of Culture of the SCO Member States": the people who meet, named as a
    capitalised run that starts with a plural noun for them."""
    found = runs(tokens, m, hi)
    if not found or found[0][0] != m or found[0][1] - m < 3:
        return None
    end = found[0][1]
    return Span(
        start=m,
        end=end,
        type="Organisation",
        ref="",
        names=[text[tokens[m].start : tokens[end - 1].end]],
        source="pattern",
    )


def describe(
    tokens: Sequence[Token],
    start: int,
    hi: int,
    date_at: dict[int, tuple[DateSpan, int]],
    place_at: PlaceAt,
    stop_at: set[int],
    venues: dict[int, int] | None = None,
) -> list[Occasion]:
    """Read the dates and places written right after an event name (tokens from ``start``).

    ``date_at`` maps a token index to the date starting there and the token after it;
    ``place_at`` returns a City or State span starting at a token; ``stop_at`` holds the
    token indices where another event's name starts.
    """
    occasions: list[Occasion] = [Occasion()]
    k = start
    prev = ""
    expect_place = False
    held = False  # a verb saying the event happened was read
    skipped = 0
    ended = False
    while k < hi and k not in stop_at:
        tok = tokens[k]
        if tok.text == "(":
            close = _close(tokens, k, hi)
            if close is None:
                break
            inside = tokens[k + 1 : close - 1]
            if inside and inside[0].text.lower() in {"hereafter", "hereinafter", "henceforth"}:
                k = close
                continue
            occasions = _merge(occasions, _entries(tokens, k + 1, close - 1, date_at, place_at))
            k = close
            prev = ")"
            continue
        if k in date_at:
            date, nxt = date_at[k]
            if date.precision == "year" and (prev in VAGUE_TIMES or skipped):
                k = nxt  # "in early 2022", "in autumn 2028": no date
                prev = "date"
                continue
            current = occasions[-1]
            if current.date is not None and ended and date.finish >= current.date.begin:
                # "began on 17 March and ended on the 21st of March 2028"
                current.date = DateSpan(
                    current.date.start,
                    date.end,
                    current.date.text,
                    current.date.begin,
                    date.finish,
                    current.date.precision,
                    current.date.relative,
                )
            else:
                if current.date is not None:
                    occasions.append(Occasion())
                occasions[-1].date = date
            k = nxt
            prev = "date"
            ended = False
            continue
        if venues and k in venues and (prev == "at" or (prev == "the" and expect_place)):
            k = venues[k]  # "at the SCO Secretariat in Beijing": a venue, then the city
            prev = "venue"
            continue
        if prev in {"in", "at", ","} or (prev == "the" and expect_place):
            place = place_at(k, prev == ",")
            if place is not None:
                occasions[-1].places.append(place)
                k = place.end
                prev = "place"
                continue
        if tok.text == '"':
            close = next((m for m in range(k + 1, min(hi, k + 30)) if tokens[m].text == '"'), None)
            if close is not None and prev in THEME_WORDS:
                k = close + 1
                continue
        low = tok.text.lower()
        if low in {"with", "under"} and k + 2 < hi and tokens[k + 2].text.lower() in THEME_WORDS:
            k += 2
            prev = tokens[k].text.lower()
            k += 1
            continue
        if low in THEME_WORDS:
            prev = low
            k += 1
            continue
        if low in END_WORDS:
            ended = True
        elif low == "and" and k + 1 < hi and tokens[k + 1].text.lower() in END_WORDS:
            pass
        elif low not in WINDOW_WORDS or (low == "of" and k + 1 not in date_at):
            # after "was held" / "took place", a few words may come before where and when:
            # "took place at the headquarters of the Structure in Tashkent on 12 April"
            if held and skipped < SKIP_AFTER_HELD and low not in {";", ".", "and", "but"}:
                skipped += 1
                prev = low
                k += 1
                continue
            break
        if low in HELD_WORDS:
            held = True
        expect_place = low in {"in", "at", ","} or (low == "the" and prev in {"in", "at"})
        prev = low
        k += 1
    return [o for o in occasions if o.date is not None or o.places]


def _close(tokens: Sequence[Token], k: int, hi: int) -> int | None:
    depth = 0
    for m in range(k, min(hi, k + 60)):
        if tokens[m].text == "(":
            depth += 1
        elif tokens[m].text == ")":
            depth -= 1
            if depth == 0:
                return m + 1
    return None


def _entries(
    tokens: Sequence[Token],
    lo: int,
    hi: int,
    date_at: dict[int, tuple[DateSpan, int]],
    place_at: PlaceAt,
) -> list[Occasion]:
    """The inside of a list entry's parenthesis: "2-6 May 2031, Osh",
    "3 May 2031, Osh and 9 June 2032, Khujand", "July 2031 - May 2032, Osh, Khujand,
    Xi'an"."""
    occasions: list[Occasion] = []
    k = lo
    while k < hi:
        if k in date_at:
            date, nxt = date_at[k]
            occasions.append(Occasion(date=date))
            k = nxt
            continue
        place = place_at(k)
        if place is not None and place.end <= hi:
            if not occasions:
                occasions.append(Occasion())
            occasions[-1].places.append(place)
            k = place.end
            continue
        k += 1
    return occasions


def _merge(current: list[Occasion], found: list[Occasion]) -> list[Occasion]:
    if not found:
        return current
    base = [o for o in current if o.date is not None or o.places]
    return base + found if base else found


_TOKEN_SPLIT = re.compile(r"\s+")
