"""One document in, its entities and facts out: the extraction pipeline.

1. read and clean the text, split it into sentences, find its date;
2. learn the document's own abbreviations ("(hereafter SCO or Organisation)", "(SCO RATS)")
   and the people it names;
3. in every sentence: gazetteer names, people and posts, capitalised names, lower-case and
   quoted names, numbered resolutions; overlaps settled;
4. events: dates and places after each event, one event per occurrence, mentions of the
   same event joined, the document's own meeting found;
5. relations and stances, sentence by sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scokg.extract import events as ev
from scokg.extract import instruments as ins
from scokg.extract import lexicon
from scokg.extract import relations as rel
from scokg.extract.chunks import FUNCTION_CAPS, NameFinder, is_name_token
from scokg.extract.chunks import runs as chunk_runs
from scokg.extract.dates import DateSpan, document_date, find_dates
from scokg.extract.gazetteer import Entry, Gazetteer, Match, load
from scokg.extract.model import DocumentExtraction, Entity, Fact, Mention, Sentence, Stance
from scokg.extract.names import close_spelling, name_key, person_key, relaxed_event_key, slugify
from scokg.extract.people import MONTHS, PeopleFinder, PersonHit
from scokg.extract.sentences import sentence_bounds, split_sentences
from scokg.extract.spans import Span, settle
from scokg.extract.stances import stances as find_stances
from scokg.extract.text import CleanText, clean, read_document
from scokg.extract.tokens import Token, tokenize

DEFINITION = re.compile(
    r"^\(\s*(?:hereafter|hereinafter|henceforth)(?:\s+referred\s+to\s+as)?\s*[-–—:]?\s*(?P<items>[^)]*)\)$",
    re.I,
)
# "the meeting", "the reception", "this event": nouns that refer back to an event named before.
ANAPHORS = frozenset(
    {
        "meeting",
        "summit",
        "session",
        "talks",
        "event",
        "reception",
        "ceremony",
        "forum",
        "conference",
        "exercise",
        "exercises",
        "symposium",
        "seminar",
        "celebration",
        "discussion",
        "table",
        "debate",
    }
)
# Of these, the ones that mean the document's own meeting when nothing else fits.
MAIN_ANAPHORS = frozenset({"meeting", "summit", "session", "talks", "event"})
SIGNED_SUBTYPES = frozenset(
    {"Agreement", "Treaty", "Convention", "Protocol", "Charter", "Declaration", "Statement"}
)
INSTRUMENT_TITLE_WORDS = {
    "declaration": "Declaration",
    "communiqué": "Statement",
    "communique": "Statement",
    "statement": "Statement",
    "charter": "Charter",
    "convention": "Convention",
    "agreement": "Agreement",
    "treaty": "Treaty",
}


@dataclass
class _Sent:
    index: int
    lo: int  # token range
    hi: int
    cstart: int  # clean char range
    cend: int
    spans: list[Span] = field(default_factory=list)
    parts: list[Span] = field(default_factory=list)  # acronyms inside hyphenated words
    hits: list[PersonHit] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    date_at: dict[int, tuple[DateSpan, int]] = field(default_factory=dict)


class _Overlay(Gazetteer):
    """The document's own names: its abbreviations and the people it introduces."""


class DocumentExtractor:
    def __init__(self, raw: str, doc_id: str, path: str = "") -> None:
        self.raw = raw
        self.doc_id = doc_id
        self.path = path
        self.gaz = load()
        self.local = _Overlay()
        self.ct: CleanText = clean(raw)
        self.text = self.ct.text
        self.tokens: list[Token] = tokenize(self.text)
        self.starts = [t.start for t in self.tokens]
        self.date = document_date(raw, Path(path).name if path else None)
        self.year = int(self.date[:4]) if self.date else None
        self.sentences: list[Sentence] = split_sentences(self.ct)
        bounds = sentence_bounds(self.ct)
        self.sents: list[_Sent] = []
        for s, (cs, ce) in zip(self.sentences, bounds, strict=True):
            lo = bisect.bisect_left(self.starts, cs)
            hi = bisect.bisect_left(self.starts, ce)
            self.sents.append(_Sent(s.index, lo, hi, cs, ce))
        self.entities: dict[str, Entity] = {}
        self.facts: list[Fact] = []
        self.stances: list[Stance] = []
        self.key_to_ref: dict[tuple[str, str], str] = {}
        self.learned: list[Entry] = []
        self.full_keys: set[tuple[str, str]] = set()
        self.person_refs: dict[str, str] = {}

    # ---------------------------------------------------------------- recognition
    def matches(self, lo: int, hi: int) -> list[Match]:
        """Gazetteer and document names in tokens[lo:hi], longest first at each token."""
        window = self.tokens[lo:hi]
        found: dict[tuple[int, int, str], Match] = {}
        for gaz in (self.gaz, self.local):
            for m in gaz.find(window):
                found.setdefault(
                    (m.start, m.end, m.entry.key), Match(m.start + lo, m.end + lo, m.entry)
                )
        by_span: dict[tuple[int, int], Match] = {}
        for m in found.values():
            old = by_span.get((m.start, m.end))
            if old is None or old.entry.type == "Person":
                by_span[(m.start, m.end)] = m
        return sorted(by_span.values(), key=lambda m: (m.start, -m.end))

    def lookup(self, name: str, types: set[str] | None = None) -> Entry | None:
        for gaz in (self.local, self.gaz):
            entry = gaz.lookup(name)
            if entry is not None and (types is None or entry.type in types):
                return entry
        if types is None or "Organisation" in types:
            return self.gaz.lookup_relaxed(name)
        return None

    def _entity_at_factory(self, matches: Sequence[Match], finder: NameFinder, hi_limit: int):  # type: ignore[no-untyped-def]
        by_start: dict[int, Match] = {}
        for m in matches:
            if m.entry.type in {"State", "Organisation"}:
                by_start.setdefault(m.start, m)

        def entity_at(i: int, hi: int) -> Span | None:
            hi = min(hi, hi_limit)
            best: Span | None = None
            m = by_start.get(i)
            if m is not None and m.entry.type in {"State", "Organisation"} and m.end <= hi:
                best = self._gaz_span(m)
            found = chunk_runs(self.tokens, i, hi)
            run_end = found[0][1] if found and found[0][0] == i else i
            for k in range(i + 1, run_end):
                if self._title_starts(k):
                    run_end = k  # "... of the CIS and Executive Secretary of ...": a new post
                    break
            if run_end > i and is_name_token(self.tokens[i]):
                for span in finder._in_run(i, run_end):
                    longer = best is None or (
                        span.end > best.end
                        and any(t.text in lexicon.heads() for t in self.tokens[best.end : span.end])
                    )
                    if span.start == i and span.type == "Organisation" and longer:
                        entry = self._entry_for_names(span.names, {"Organisation"})
                        if entry is not None:
                            span.entry, span.ref = entry, entry.key
                        best = span
                    break
            return best

        return entity_at

    def _title_starts(self, k: int) -> bool:
        toks = self.tokens
        for title in lexicon.titles_by_first().get(toks[k].key, ()):
            if tuple(t.key for t in toks[k : k + len(title)]) == title:
                return True
        return False

    def _gaz_span(self, m: Match) -> Span:
        return Span(
            start=m.start,
            end=m.end,
            type=m.entry.type,
            ref=m.entry.key,
            names=[self.surface(m.start, m.end)],
            source="gazetteer",
            subtype=m.entry.subtype,
            meeting=m.entry.subtype == "Meeting",
            entry=m.entry,
        )

    def _entry_for_names(self, names: Sequence[str], types: set[str]) -> Entry | None:
        for name in names:
            entry = self.lookup(name, types)
            if entry is not None:
                return entry
        return None

    def surface(self, i: int, j: int) -> str:
        return " ".join(self.text[self.tokens[i].start : self.tokens[j - 1].end].split())

    def recognise(self, sent: _Sent) -> None:
        lo, hi = sent.lo, sent.hi
        matches = self.matches(lo, hi)
        finder = NameFinder(self.tokens, self.text, matches)
        people = PeopleFinder(
            self.tokens, self.text, self.gaz, matches, self._entity_at_factory(matches, finder, hi)
        )
        sent.hits = people.find(lo, hi)
        claimed: set[int] = set()
        spans: list[Span] = []
        for hit in sent.hits:
            for a, b in hit.claimed:
                claimed.update(range(a, b))
            spans.append(hit.span)
            for post in hit.posts:
                if post.holder is not None and post.holder.source != "demonym":
                    spans.append(post.holder)
        for m in matches:
            if m.entry.type == "Person" and any(k in claimed for k in range(m.start, m.end)):
                continue
            spans.append(self._gaz_span(m))
        # capitalised names outside people and their titles
        k = lo
        chunk_spans: list[Span] = []
        while k < hi:
            if k in claimed:
                k += 1
                continue
            end = k
            while end < hi and end not in claimed:
                end += 1
            chunk_spans.extend(finder.find(k, end))
            k = end
        run_on = ins.run_on_to_year(self.tokens, self.text, chunk_spans, hi)
        extended = {s.start for s in run_on}
        spans.extend(s for s in chunk_spans if s.length >= 2 and s.start not in extended)
        spans.extend(run_on)
        spans.extend(ins.year_led(self.tokens, self.text, lo, hi))
        spans.extend(ins.run_on_to_instrument(self.tokens, self.text, [*spans, *run_on]))
        spans.extend(ins.resolutions(self.tokens, self.text, lo, hi))
        if sent.index == self.title_index:
            spans.extend(self._title_instrument(sent))
        spans.extend(ev.lowercase_events(self.tokens, self.text, lo, hi, spans))
        spans.extend(ev.quoted_events(self.tokens, self.text, lo, hi, spans))
        for s in spans:
            s.sentence = sent.index
        spans.extend(self._unknown_places(sent, spans))
        attributive = lexicon.attributive_nouns()
        sent.spans = [
            s
            for s in settle(spans)
            if not (s.type == "City" and s.end < hi and self.tokens[s.end].text in attributive)
        ]
        sent.parts = self._acronym_parts(lo, hi, sent.spans)
        # dates of the sentence, by token
        sent.dates = find_dates(self.text[sent.cstart : sent.cend], doc_year=self.year)
        sent.dates = [
            DateSpan(
                d.start + sent.cstart,
                d.end + sent.cstart,
                d.text,
                d.begin,
                d.finish,
                d.precision,
                d.relative,
            )
            for d in sent.dates
        ]
        for d in sent.dates:
            i = bisect.bisect_left(self.starts, d.start)
            j = bisect.bisect_left(self.starts, d.end)
            if i < j:
                sent.date_at[i] = (d, j)

    def _unknown_places(self, sent: _Sent, spans: Sequence[Span]) -> list[Span]:
        """ "held in Naryn", "signed in the city of Gwadar": a place no list knows, where the
        wording says something happened in it."""
        out: list[Span] = []
        text = self.text[sent.cstart : sent.cend]
        attributive = lexicon.attributive_nouns()
        for m in PLACE_AFTER_VERB.finditer(text):
            start = bisect.bisect_left(self.starts, m.start("place") + sent.cstart)
            end = bisect.bisect_left(self.starts, m.end("place") + sent.cstart)
            if start >= end or any(s.start < end and start < s.end for s in spans):
                continue
            words = [t.text for t in self.tokens[start:end]]
            if any(w in FUNCTION_CAPS or w in MONTHS or w in lexicon.title_words() for w in words):
                continue
            if any(w in self.gaz.demonyms for w in words):
                continue
            if end < sent.hi and self.tokens[end].text in attributive:
                continue
            out.append(
                Span(
                    start=start,
                    end=end,
                    type="City",
                    ref="",
                    names=[self.surface(start, end)],
                    source="pattern",
                )
            )
        return out

    def _acronym_parts(self, lo: int, hi: int, spans: Sequence[Span]) -> list[Span]:
        """ "UNODC-SCO event", "UN-led": acronyms inside a hyphenated word."""
        out: list[Span] = []
        for k in range(lo, hi):
            tok = self.tokens[k]
            if "-" not in tok.text and "–" not in tok.text:
                continue
            if any(s.start <= k < s.end and s.entry is not None and s.length == 1 for s in spans):
                continue
            pos = 0
            for part in re.split(r"([-–])", tok.text):
                if part in {"-", "–"}:
                    pos += 1
                    continue
                entry = self.gaz.acronyms.get(part) or self.local.acronyms.get(part)
                if entry is not None and part.isupper():
                    out.append(
                        Span(
                            start=k,
                            end=k + 1,
                            type=entry.type,
                            ref=entry.key,
                            names=[part],
                            source="gazetteer",
                            entry=entry,
                            nested=True,
                            sentence=-1,
                            char_start=tok.start + pos,
                            char_end=tok.start + pos + len(part),
                        )
                    )
                pos += len(part)
        return out

    # ---------------------------------------------------------------- title
    @property
    def title_index(self) -> int:
        for s in self.sentences[:3]:
            if (
                not s.text.rstrip().endswith((".", "!", "?"))
                and len(s.text) > 12
                and not re.fullmatch(r"[\d\s/.-]+", s.text)
            ):
                return s.index
        return -1

    def title(self) -> str:
        idx = self.title_index
        if idx >= 0:
            return self.sentences[idx].text.strip(" *#")
        return Path(self.path).stem if self.path else self.doc_id

    def _title_instrument(self, sent: _Sent) -> list[Span]:
        words = [(k, self.tokens[k].text.lower()) for k in range(sent.lo, sent.hi)]
        head = next((k for k, w in words if w in INSTRUMENT_TITLE_WORDS), None)
        if head is None:
            return []
        if not all(
            is_name_token(t) or t.text in FUNCTION_CAPS for t in self.tokens[sent.lo : head]
        ):
            return []  # a headline that tells of an instrument is not its name
        start = sent.lo
        while start < head and self.tokens[start].text in FUNCTION_CAPS:
            start += 1
        end = sent.hi
        while end > head + 1 and not self.tokens[end - 1].is_word:
            end -= 1
        names = [self.surface(start, end)]
        if head + 1 < end:
            names.append(self.surface(start, head + 1))
        return [
            Span(
                start=start,
                end=end,
                type="Instrument",
                ref="",
                names=names,
                source="rebuilt",
                subtype=INSTRUMENT_TITLE_WORDS[self.tokens[head].text.lower()],
                attrs={"title": "1"},
            )
        ]

    # ---------------------------------------------------------------- first pass
    def learn(self) -> None:
        """The document's abbreviations and the people it introduces with a title."""
        for sent in self.sents:
            matches = self.matches(sent.lo, sent.hi)
            finder = NameFinder(self.tokens, self.text, matches)
            candidates = [self._gaz_span(m) for m in matches]
            candidates += finder.find(sent.lo, sent.hi)
            ending: dict[int, list[Span]] = {}
            for s in candidates:
                ending.setdefault(s.end, []).append(s)
            for k in range(sent.lo, sent.hi):
                if self.tokens[k].text != "(" or k not in ending:
                    continue
                close = next(
                    (m for m in range(k + 1, min(sent.hi, k + 14)) if self.tokens[m].text == ")"),
                    None,
                )
                if close is None:
                    continue
                inside = self.text[self.tokens[k].start : self.tokens[close].end]
                self._define(ending[k], inside, self.tokens[k + 1 : close])
            people = PeopleFinder(
                self.tokens,
                self.text,
                self.gaz,
                matches,
                self._entity_at_factory(matches, finder, sent.hi),
            )
            for hit in people.find(sent.lo, sent.hi):
                if hit.span.entry is None and hit.posts:
                    self._learn_person(hit.span.names[0])

    def _define(self, before: list[Span], inside: str, inner: Sequence[Token]) -> None:
        m = DEFINITION.match(inside)
        if m:
            items = [
                re.sub(r"^(?:the|an?)\s+", "", i.strip(" ,'\""))
                for i in re.split(r",|\bor\b", m.group("items"))
            ]
            items = [i for i in items if i]
            target = None
            for span in sorted(before, key=lambda s: s.length):
                entry = span.entry or self.lookup(span.names[0])
                if entry is not None and any(self.lookup(i) is entry for i in items):
                    target = entry
                    break
            if target is None and before:
                span = max(before, key=lambda s: s.length)
                target = span.entry or self._local_entry(span)
            if target is not None:
                for item in items:
                    self._alias(item, target)
            return
        words = [t for t in inner if t.is_word]
        if words and all(t.is_acronym or t.text in {"SCO"} for t in words) and len(words) <= 3:
            span = max(before, key=lambda s: s.length)
            if span.type in {"Organisation", "Instrument", "Event", "State"}:
                abbreviation = " ".join(t.text for t in inner)
                target = (
                    span.entry
                    or self._entry_for_names(span.names, {span.type})
                    or self._local_entry(span)
                )
                if self.lookup(abbreviation) is None:
                    self._alias(abbreviation, target)

    def _local_entry(self, span: Span) -> Entry:
        entry = Entry(
            key=f"local:{span.type}:{name_key(span.names[0])}",
            type=span.type,
            subtype=span.subtype,
            label=span.names[0],
            aliases=(),
        )
        return entry

    def _alias(self, alias: str, entry: Entry) -> None:
        toks = tokenize(alias)
        if not toks:
            return
        from scokg.extract.gazetteer import _match_key

        self.local.index[_match_key(toks)] = entry
        self.local.max_len = max(self.local.max_len, len(toks))
        self.local.lengths.setdefault(toks[0].low, set()).add(len(toks))
        if alias.isupper() and " " not in alias:
            self.local.acronyms[alias] = entry

    def _learn_person(self, name: str) -> None:
        """Remember a person the document introduces with a post, so that later mentions
        without one are found: the name itself, its initial form ("R. Khodjaev") and spelling
        variants of it join the same person."""
        if self.lookup(name, {"Person"}) is not None:
            return
        parts = name.split()
        entry = next(
            (e for e in self.learned if _same_person_name(e.label, name)),
            None,
        )
        if entry is None:
            entry = Entry(
                key=f"local:Person:{slugify(name)}",
                type="Person",
                subtype=None,
                label=name,
                aliases=(),
            )
            self.learned.append(entry)
        self._alias(name, entry)
        if len(parts) >= 2 and not parts[0].endswith("."):
            self._alias(f"{parts[0][0]}. {parts[-1]}", entry)

    # ---------------------------------------------------------------- entities
    def ref_for(self, span: Span) -> str:
        """The document-level identity of a span: its gazetteer entry, or the entity an
        earlier span with one of its names got (so "the Expert Working Group" joins "the
        Expert Working Group on Transport Cooperation"), or a new local one."""
        if span.type == "Person":
            return span.entry.key if span.entry is not None else self._person_ref(span.names[0])
        if span.entry is None:
            entry = self._entry_for_names(span.names, {span.type})
            if entry is not None:
                span.entry = entry
        if span.entry is not None:
            if span.source != "gazetteer":
                for name in span.names:
                    self.key_to_ref.setdefault((span.type, name_key(name)), span.entry.key)
                self._register_short(span, span.entry.key)
            return span.entry.key
        for name in span.names:
            ref = self.key_to_ref.get((span.type, name_key(name)))
            if ref:
                break
        else:
            ref = f"local:{span.type}:{name_key(span.names[0])}"
        self.full_keys.update((span.type, name_key(n)) for n in span.names)
        for name in span.names:
            self.key_to_ref.setdefault((span.type, name_key(name)), ref)
        self._register_short(span, ref)
        return ref

    def _register_short(self, span: Span, ref: str) -> None:
        """Let a later bare short form ("the Expert Working Group") refer to this body;
        a short form two bodies share ("Security Council") refers to neither."""
        short = span.attrs.get("short")
        if not short:
            return
        key = (span.type, name_key(short))
        known = self.key_to_ref.get(key)
        if known is None:
            self.key_to_ref[key] = ref
        elif known != ref and key not in self.full_keys:
            self.key_to_ref[key] = ""  # ambiguous

    def _person_ref(self, name: str) -> str:
        if name in self.person_refs:
            return self.person_refs[name]
        initial, surname = person_key(name)
        first = name.split()[0].rstrip(".")
        for other, ref in self.person_refs.items():
            o_initial, o_surname = person_key(other)
            o_first = other.split()[0].rstrip(".")
            same_first = (
                first == o_first or (len(first) <= 3 or len(o_first) <= 3) and initial == o_initial
            )
            if same_first and close_spelling(surname, o_surname):
                self.person_refs[name] = ref
                return ref
        ref = f"local:Person:{slugify(name)}"
        self.person_refs[name] = ref
        return ref

    def entity(self, ref: str, span: Span | None, typ: str | None = None) -> Entity:
        ent = self.entities.get(ref)
        if ent is None:
            entry = span.entry if span is not None else None
            if entry is None and not ref.startswith("local:") and not ref.startswith("event:"):
                entry = self.gaz.entries.get(ref)
            ent = Entity(
                id=ref,
                type=typ or (span.type if span else entry.type if entry else "Organisation"),
                key=entry.key if entry is not None and not entry.key.startswith("local:") else None,
                subtype=(span.subtype if span else None) or (entry.subtype if entry else None),
                meeting=bool(span.meeting) if span else False,
            )
            if entry is not None and entry.parent:
                ent.attrs["parent"] = entry.parent
            self.entities[ref] = ent
        return ent

    def add_mention(self, ent: Entity, span: Span, sent: _Sent) -> None:
        if span.char_end > span.char_start:
            cs, ce = span.char_start, span.char_end
        else:
            cs, ce = self.tokens[span.start].start, self.tokens[span.end - 1].end
        rs, re_ = self.ct.raw_span(cs, ce)
        surface = " ".join(self.text[cs:ce].split())
        ent.mentions.append(Mention(sent.index, rs, re_, surface))
        for name in span.names:
            ent.add_name(name)
        if span.subtype and not ent.subtype:
            ent.subtype = span.subtype
        ent.meeting = ent.meeting or span.meeting

    # ---------------------------------------------------------------- events
    def read_events(self) -> dict[int, str]:
        """Event mentions -> event ids; returns the id of each event span by id(span)."""
        mentions: list[tuple[ev.EventMention, _Sent]] = []
        for sent in self.sents:
            starts = {s.start for s in sent.spans if s.type == "Event" and not s.nested}
            venues = {
                s.start: s.end for s in sent.spans if s.type == "Organisation" and not s.nested
            }
            for span in sent.spans:
                if span.type != "Event" or span.nested:
                    continue
                mention = ev.EventMention(
                    span=span, sentence=sent.index, modifier=self._modifier(span.start, sent)
                )
                mention.occasions = ev.describe(
                    self.tokens,
                    span.end,
                    sent.hi,
                    sent.date_at,
                    self._place_finder(sent),
                    starts - {span.start},
                    venues,
                )
                self._date_in_front(mention, span.start, sent)
                mentions.append((mention, sent))
            for k in range(sent.lo, sent.hi):
                word = self.tokens[k].text.lower()
                if word not in ANAPHORS or any(s.start <= k < s.end for s in sent.spans):
                    continue
                prev = self.tokens[k - 1].text.lower() if k > sent.lo else ""
                if prev not in {"the", "this", "current", "today's", "present"}:
                    continue
                if k + 1 < sent.hi and self.tokens[k + 1].text == "of":
                    continue
                mention = ev.EventMention(
                    span=None, sentence=sent.index, modifier=self._modifier(k, sent) or "current"
                )
                mention.occasions = ev.describe(
                    self.tokens,
                    k + 1,
                    sent.hi,
                    sent.date_at,
                    self._place_finder(sent),
                    starts,
                    venues,
                )
                mention.body = word
                mentions.append((mention, sent))
        mentions.sort(key=lambda x: (x[1].index, x[0].span.start if x[0].span else 0))
        return self._join_events(mentions)

    def _apply_dateline(self) -> None:
        """ "BISHKEK, 12 March 2026 - Defence ministers ... gathered on Thursday": a news
        item's dateline dates and places its meeting when the text counts from it."""
        if not self.main_event:
            return
        main = self.event_records[self.main_event]
        line = None
        for sent in self.sents[:4]:
            city = next(
                (
                    s
                    for s in sent.spans
                    if s.type == "City"
                    and not s.nested
                    and self.tokens[s.start].start - sent.cstart < 3
                ),
                None,
            )
            if city is None or not sent.dates or sent.dates[0].precision != "day":
                continue
            if sent.dates[0].start - self.tokens[city.end - 1].end <= 3:
                line = (city, sent.dates[0], sent.index)
                break
        if line is None:
            return
        city, date, idx = line
        if main["date"] is None and date.begin == date.finish:
            day = dt.date.fromisoformat(date.begin)
            last = max(main["first_sentence"], idx) + 1
            for sent in self.sents[idx : last + 1]:
                said = self.text[sent.cstart : sent.cend].lower()
                when = _relative_day(said, day)
                if when is not None:
                    main["date"] = DateSpan(
                        date.start, date.end, date.text, when, when, "day", relative=True
                    )
                    main["occasion_sentence"] = sent.index
                    break
        if not main["places"] and main["date"] is not None:
            main["places"] = [city]
            main["place_sentence"] = {id(city): idx}

    def _date_in_front(self, mention: ev.EventMention, start: int, sent: _Sent) -> None:
        """ "On 14-15 May 2026, a regular meeting of ... took place in ...": a sentence that
        opens with a date dates the first event it names."""
        if any(o.date is not None for o in mention.occasions):
            return
        k = sent.lo
        if (
            k >= start
            or self.tokens[k].text not in {"On", "In", "From"}
            or k + 1 not in sent.date_at
        ):
            return
        date, after = sent.date_at[k + 1]
        between = [t.text for t in self.tokens[after:start]]
        if any(t in {".", ";"} for t in between) or len(between) > 6:
            return
        if any(s.type == "Event" and not s.nested and after <= s.start < start for s in sent.spans):
            return
        if mention.occasions:
            mention.occasions[0].date = date
        else:
            mention.occasions = [ev.Occasion(date=date)]

    def _modifier(self, start: int, sent: _Sent) -> str | None:
        for k in range(max(sent.lo, start - 2), start):
            word = self.tokens[k].text.lower()
            if word in ev.NEXT_WORDS:
                return "next"
            if word in ev.PREVIOUS_WORDS:
                return "previous"
            if word in ev.CURRENT_WORDS and word != "this":
                return "current"
        return None

    def _place_finder(self, sent: _Sent):  # type: ignore[no-untyped-def]
        def place_at(k: int, known_only: bool = False) -> Span | None:
            for s in sent.spans:
                if s.start == k and s.type in {"City", "State"} and not s.nested:
                    return s
            if known_only or len(self.tokens[k].text) < 3:
                return None
            # a place no list knows: capitalised words where a place is expected
            m = k
            while m < sent.hi and m - k < 3:
                t = self.tokens[m]
                if (
                    not (t.is_cap and t.is_word)
                    or t.text in FUNCTION_CAPS
                    or t.text in MONTHS
                    or t.is_acronym
                ):
                    break
                m += 1
            if m == k or any(s.start < m and k < s.end for s in sent.spans):
                return None
            nxt = self.tokens[m].text if m < sent.hi else ")"
            if nxt not in {")", ",", ".", "on", "in", "and", "from", ";"}:
                return None
            span = Span(
                start=k,
                end=m,
                type="City",
                ref="",
                names=[self.surface(k, m)],
                source="pattern",
                sentence=sent.index,
            )
            sent.spans.append(span)
            sent.spans.sort(key=lambda s: (s.start, -s.length))
            return span

        return place_at

    def _join_events(self, mentions: list[tuple[ev.EventMention, _Sent]]) -> dict[int, str]:
        """Decide which mentions are one event; create the events and their facts."""
        events: list[dict] = []  # type: ignore[type-arg]
        assignment: dict[int, str] = {}

        def key_of(span: Span) -> str:
            if span.attrs.get("key"):
                return name_key(span.attrs["key"])
            body = span.attrs.get("body")
            if body:
                names = body.split("|")
                entry = self._entry_for_names(names, {"Organisation"})
                return entry.key if entry is not None else name_key(names[0])
            names = [n for n in span.names]
            for name in names:
                stripped = re.sub(
                    r"(?i)^(?:\d{4}\s+)?(.*?)\s*\b(meetings?|summit|session)$", r"\1", name
                )
                stripped = re.sub(r"(?i)^(meetings?|summit|session)\s+of\s+(the\s+)?", "", stripped)
                if stripped != name:
                    entry = self.lookup(stripped, {"Organisation"})
                    if entry is not None:
                        return entry.key
            return relaxed_event_key(
                re.sub(
                    r"\s*\"[^\"]*\"$",
                    "",
                    names[-1] if len(names) > 1 and names[0].endswith('"') else names[0],
                )
            )

        def overlaps(a: DateSpan | None, ev_: dict) -> bool:  # type: ignore[type-arg]
            if a is None or ev_["date"] is None:
                return True
            b = ev_["date"]
            return not (a.finish < b.begin[: len(a.finish)] or b.finish < a.begin[: len(b.finish)])

        def new_event(mention: ev.EventMention, occasion: ev.Occasion | None, key: str) -> dict:  # type: ignore[type-arg]
            e = {
                "id": f"event:{len(events)}",
                "key": key,
                "date": occasion.date if occasion else None,
                "places": list(occasion.places) if occasion else [],
                "mentions": [mention],
                "modifier": mention.modifier,
                "first_sentence": mention.sentence,
                "occasion_sentence": mention.sentence,
            }
            events.append(e)
            return e

        anaphors: list[ev.EventMention] = []
        for mention, _sent in mentions:
            if mention.span is None:
                anaphors.append(mention)
                continue
            span = mention.span
            key = key_of(span)
            weak = span.attrs.get("weak")
            if weak in {"org", "described"} and not mention.occasions and mention.modifier is None:
                assignment[id(span)] = ""  # "the SCO summit" in passing is not an event
                continue
            dated = any(o.date is not None for o in mention.occasions)
            if weak in {"city", "org"} and not dated and mention.modifier is None:
                mention.body = key
                span.attrs["city_summit"] = "1"
                anaphors.append(mention)
                continue
            occasions = mention.occasions or [ev.Occasion()]
            if mention.modifier == "current":
                mention.body = key
                anaphors.append(mention)
                assignment[id(span)] = "main"
                continue
            ids = []
            for occasion in occasions:
                target = None
                if len(occasions) == 1:
                    same = [
                        e
                        for e in events
                        if e["key"] == key
                        and e["modifier"] == mention.modifier
                        and overlaps(occasion.date, e)
                    ]
                    if same:
                        target = (
                            same[-1]
                            if occasion.date is None
                            else next((e for e in same if e["date"] is not None), same[-1])
                        )
                if target is None:
                    target = new_event(mention, occasion, key)
                else:
                    target["mentions"].append(mention)
                    if target["date"] is None and occasion.date is not None:
                        target["date"] = occasion.date
                        target["occasion_sentence"] = mention.sentence
                    for p in occasion.places:
                        if all(q.names[0] != p.names[0] for q in target["places"]):
                            target["places"].append(p)
                            target.setdefault("place_sentence", {})[id(p)] = mention.sentence
                ids.append(target["id"])
            assignment[id(span)] = ids[0]
            if len(ids) > 1:
                span.attrs["also"] = " ".join(ids[1:])

        # the document's own meeting
        def opening(e: dict, dated: bool) -> bool:  # type: ignore[type-arg]
            first = e["mentions"][0]
            return (
                first.span is not None
                and first.span.meeting
                and e["modifier"] is None
                and e["first_sentence"] <= 3
                and (e["date"] is not None or not dated)
            )

        main = next((e for e in events if opening(e, True)), None)
        if main is None:
            main = next((e for e in events if opening(e, False)), None)
        if main is None:
            main = next(
                (
                    e
                    for e in events
                    if opening(e, False) is False
                    and e["date"] is not None
                    and e["mentions"][0].span is not None
                    and e["mentions"][0].span.meeting
                    and e["modifier"] is None
                ),
                None,
            )
        if main is None and any(a.span is not None for a in anaphors):
            first = next(a for a in anaphors if a.span is not None)
            main = new_event(
                first, first.occasions[0] if first.occasions else None, first.body or ""
            )
        self.main_event = main["id"] if main else None
        self.anaphor_event: dict[int, str] = {}
        for mention in anaphors:
            target = main
            word = mention.body or ""
            if mention.span is not None and mention.span.attrs.get("city_summit"):
                # "the Qingdao summit", "the SCO summit in New Delhi": the document's meeting if
                # held there, else an event of its own
                said = {n.lower() for n in mention.span.names[0].split()} | {
                    p.names[0].lower() for o in mention.occasions for p in o.places
                }
                held = {p.names[0].lower() for p in (main["places"] if main else [])}
                if main is None or not (said & held):
                    target = new_event(mention, None, key_of(mention.span))
                    assignment[id(mention.span)] = target["id"]
                    continue
            if mention.span is None and word and word not in MAIN_ANAPHORS - {"event"}:
                earlier = [
                    e
                    for e in events
                    if e["first_sentence"] <= mention.sentence
                    and (
                        word in {"event", "discussion", "debate"}
                        or any(
                            word in n.lower().split()
                            for m in e["mentions"]
                            if m.span
                            for n in m.span.names
                        )
                    )
                ]
                if earlier:
                    target = max(earlier, key=lambda e: e["first_sentence"])
                elif word not in MAIN_ANAPHORS:
                    continue
            if target is None:
                continue
            if mention.span is not None:
                target["mentions"].append(mention)
                assignment[id(mention.span)] = target["id"]
            else:
                self.anaphor_event.setdefault(mention.sentence, target["id"])
            for occasion in mention.occasions:
                if target["date"] is None and occasion.date is not None:
                    target["date"] = occasion.date
                    target["occasion_sentence"] = mention.sentence
                if not target["places"] and occasion.places:
                    target["places"] = list(occasion.places)
                    target["place_sentence"] = {id(p): mention.sentence for p in occasion.places}
        for span_id, assigned in list(assignment.items()):
            if assigned == "main":
                if main is None:
                    del assignment[span_id]
                else:
                    assignment[span_id] = main["id"]
        self.event_records = {e["id"]: e for e in events}
        return assignment

    def event_entities(self, assignment: dict[int, str]) -> None:
        for sent in self.sents:
            for span in sent.spans:
                if span.type != "Event" or span.nested:
                    continue
                ids = [assignment.get(id(span))] + span.attrs.get("also", "").split()
                for eid in [i for i in ids if i]:
                    ent = self.entity(eid, span, "Event")
                    self.add_mention(ent, span, sent)
                span.ref = ids[0] or ""
        for eid, e in self.event_records.items():
            if eid not in self.entities:
                continue
            ent = self.entities[eid]
            ent.attrs["key"] = e["key"]
            if e["date"] is not None:
                d = e["date"]
                ent.attrs["date"] = d.begin
                self.facts.append(Fact("startDate", eid, d.begin, e["occasion_sentence"]))
                self.facts.append(Fact("endDate", eid, d.finish, e["occasion_sentence"]))
            for place in e["places"]:
                pref = self.ref_for(place)
                place.ref = pref
                psent = e.get("place_sentence", {}).get(id(place), e["occasion_sentence"])
                self.entity(pref, place)
                self.facts.append(Fact("location", eid, pref, psent))

    # ---------------------------------------------------------------- relations
    def items(self, sent: _Sent) -> list[rel.Item]:
        out = []
        for s in sent.spans:
            if not s.ref or s.nested:
                continue
            cs, ce = self.tokens[s.start].start, self.tokens[s.end - 1].end
            out.append(rel.Item(s.ref, s.type, s.start, s.end, cs, ce, s.meeting))
        return sorted(out, key=lambda i: i.char_start)

    def relations(self) -> None:
        sco = next(
            (r for r, e in self.entities.items() if e.key == "shanghai-cooperation-organisation"),
            None,
        )
        previous_holder: str | None = None
        attended_event: str | None = None
        for sent in self.sents:
            text = self.text[sent.cstart : sent.cend]
            items = self.items(sent)
            # people: posts
            for hit in sent.hits:
                pref = hit.span.ref
                for post in hit.posts:
                    if post.holder is None:
                        continue
                    href = post.holder.ref or self.ref_for(post.holder)
                    holder_ent = self.entity(href, post.holder)
                    if (
                        post.holder.source == "demonym"
                        and not holder_ent.names
                        and post.holder.entry
                    ):
                        holder_ent.key = post.holder.entry.key
                    self.facts.append(Fact("position", pref, href, sent.index, title=post.title))
            # attendance and chair
            chairs, participants = rel.chair_and_participants(text, sent.cstart, items)
            if not chairs and not participants and attended_event and rel.LIST_GOES_ON.match(text):
                # "... also attended the summit. They were Afghan President ..."
                participants = [i.ref for i in items if i.type == "Person"]
            attended_event = None
            cue = bool(rel.cue_positions("participant", text))
            if chairs or participants or cue:
                event = self._sentence_event(sent, items)
                if event is not None:
                    attended_event = event if cue else None
                    for p in participants:
                        self.facts.append(Fact("participant", event, p, sent.index))
                    for c in chairs:
                        self.facts.append(Fact("chair", event, c, sent.index))
            # statuses
            for kind, state, org in rel.statuses(text, sent.cstart, items, self.tokens, sco):
                self.facts.append(Fact(kind, state, org, sent.index))
            # signing and adoption
            for inst, date, place in rel.signings(text, sent.cstart, items, sent.dates):
                if date is not None:
                    self.facts.append(Fact("signingDate", inst, date.begin, sent.index))
                if place is not None:
                    self.facts.append(Fact("signingPlace", inst, place, sent.index))
                if (
                    date is None
                    and place is None
                    and self.main_event
                    and rel.COLLECTIVE_SIGNERS.search(text)
                ):
                    # "Following the meeting, the leaders signed the X": signed at the meeting
                    self.facts.append(Fact("adoptedAt", inst, self.main_event, sent.index))
                if self._at_main_event(date, place):
                    self.facts.append(Fact("adoptedAt", inst, self.main_event or "", sent.index))
            for inst, date in rel.adoptions(text, sent.cstart, items, sent.dates):
                if date is not None:
                    self.facts.append(Fact("signingDate", inst, date.begin, sent.index))
                elif self.main_event:
                    self.facts.append(Fact("adoptedAt", inst, self.main_event, sent.index))
            self._dated_names(sent)
            # stances
            stances, previous_holder = find_stances(text, sent.cstart, items, sco, previous_holder)
            for holder, attitude, stance_target, stance_cue in stances:
                self.stances.append(Stance(holder, attitude, stance_target, sent.index, stance_cue))

    def _sentence_event(self, sent: _Sent, items: Sequence[rel.Item]) -> str | None:
        for item in items:
            if item.type == "Event" and item.meeting and item.ref in self.event_records:
                record = self.event_records[item.ref]
                if record["modifier"] not in {"next", "previous"}:
                    return item.ref
        return self.anaphor_event.get(sent.index, self.main_event)

    def _at_main_event(self, date: DateSpan | None, place: str | None) -> bool:
        if not self.main_event or date is None:
            return False
        main = self.event_records[self.main_event]
        first = main["mentions"][0].span
        if first is not None and first.attrs.get("weak") == "described":
            return False  # a reception or ceremony adopts nothing
        mdate = main["date"]
        if mdate is None or date.precision != "day":
            return False
        if not (mdate.begin <= date.begin <= mdate.finish):
            return False
        if place is not None and main["places"]:
            return any(p.ref == place for p in main["places"])
        return True

    def _dated_names(self, sent: _Sent) -> None:
        """ "X of 2004", "Minsk Agreements of 12 February 2015", "the 2007 agreement on ...",
        "UNSC Resolution 1624 (2005)": the date an instrument bears in its name."""
        for span in sent.spans:
            if span.type != "Instrument" or not span.ref:
                continue
            k = span.end
            decision = span.attrs.get("inside") in {"Decision", "Decisions"}
            if (
                not decision
                and k + 1 < sent.hi
                and self.tokens[k].text == "of"
                and k + 1 in sent.date_at
            ):
                date, _ = sent.date_at[k + 1]
                self.facts.append(Fact("signingDate", span.ref, date.begin, sent.index))
            year = span.attrs.get("year")
            if year and span.subtype in SIGNED_SUBTYPES:
                self.facts.append(Fact("signingDate", span.ref, year, sent.index))
            elif (
                span.source == "chunk"
                and self.tokens[span.start].is_year
                and span.subtype in SIGNED_SUBTYPES
            ):
                if re.fullmatch(r"\d{4}", self.tokens[span.start].text):
                    self.facts.append(
                        Fact("signingDate", span.ref, self.tokens[span.start].text, sent.index)
                    )
            if span.attrs.get("title") and self.main_event:
                self.facts.append(Fact("adoptedAt", span.ref, self.main_event, sent.index))
                closing = self._closing_line()
                if closing is not None:
                    closing_date, place, idx = closing
                    if closing_date is not None:
                        self.facts.append(Fact("signingDate", span.ref, closing_date, idx))
                    if place is not None:
                        self.facts.append(Fact("signingPlace", span.ref, place, idx))

    def _closing_line(self) -> tuple[str | None, str | None, int] | None:
        """ "Astana, 9 June 2017" at the end of a declaration."""
        for sent in reversed(self.sents[-3:]):
            text = self.text[sent.cstart : sent.cend].strip()
            if len(text) > 60 or not sent.dates:
                continue
            place = next((s for s in sent.spans if s.type == "City" and s.ref), None)
            date = sent.dates[-1]
            if date.precision == "day":
                return date.begin, place.ref if place else None, sent.index
        return None

    # ---------------------------------------------------------------- run
    def run(self) -> DocumentExtraction:
        self.learn()
        for sent in self.sents:
            self.recognise(sent)
        assignment = self.read_events()
        self._apply_dateline()
        for sent in self.sents:
            for span in sent.spans:
                if span.type == "Event" and not span.nested:
                    continue
                span.ref = self.ref_for(span)
                ent = self.entity(span.ref, span)
                self.add_mention(ent, span, sent)
            for span in sent.parts:
                ent = self.entity(span.ref, span)
                self.add_mention(ent, span, sent)
            for hit in sent.hits:
                hit.span.ref = hit.span.ref or self.ref_for(hit.span)
        self.event_entities(assignment)
        self.relations()
        facts = list(dict.fromkeys(f for f in self.facts if f.subject and f.object))
        used = {f.subject for f in facts} | {f.object for f in facts}
        entities = {r: e for r, e in self.entities.items() if e.mentions or r in used}
        return DocumentExtraction(
            doc_id=self.doc_id,
            path=self.path,
            sha256=hashlib.sha256(self.raw.encode("utf-8")).hexdigest(),
            title=self.title(),
            date=self.date,
            sentences=self.sentences,
            entities=entities,
            facts=facts,
            stances=list(dict.fromkeys(self.stances)),
        )


def _same_person_name(a: str, b: str) -> bool:
    """Same first name (or its initial) and nearly the same surname."""
    ia, sa = person_key(a)
    ib, sb = person_key(b)
    fa, fb = a.split()[0].rstrip("."), b.split()[0].rstrip(".")
    first = fa == fb or ((len(fa) <= 2 or len(fb) <= 2) and ia == ib)
    return first and close_spelling(sa, sb)


# "held in Naryn", "was signed on 2 May 2031 in the city of Gwadar", "took place in Khujand"
PLACE_AFTER_VERB = re.compile(
    r"\b(?:held|signed|took\s+place|convened|hosted|met|gathered|opened|organi[sz]ed)\b"
    r"(?:\s+(?:on|from|between)\s+[^,;.]{3,40}?)?\s+in\s+(?:the\s+city\s+of\s+)?"
    r"(?P<place>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)\b"
)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _relative_day(text: str, day: dt.date) -> str | None:
    """The day a news item means by "today", "yesterday" or a weekday, counted back from its
    dateline; None when it names none."""
    if re.search(r"\btoday\b", text):
        return day.isoformat()
    if re.search(r"\byesterday\b", text):
        return (day - dt.timedelta(days=1)).isoformat()
    for n, name in enumerate(WEEKDAYS):
        if re.search(rf"\bon {name}\b", text):
            back = (day.weekday() - n) % 7
            return (day - dt.timedelta(days=back)).isoformat()
    return None


def extract_text(raw: str, doc_id: str, path: str = "") -> DocumentExtraction:
    """Extract one document given as text."""
    return DocumentExtractor(raw, doc_id, path).run()


def extract_document(path: Path) -> DocumentExtraction:
    """Extract one document file (UTF-8 text); raises InputError for unreadable input."""
    raw = read_document(path)
    return extract_text(raw, path.stem, str(path))
