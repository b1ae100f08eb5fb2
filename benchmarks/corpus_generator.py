"""Synthetic SCO-style documents for benchmarks, deterministic by seed.

Press releases on meetings of SCO bodies, summit declarations, chairmanship reports with
their lists of events, joint communiqués and news items, each of about ``words`` words,
written from the templates and word lists in ``benchmarks/data/``. The people are invented
(a given name and a family name from the same pool) but keep their posts for a term, so
the same minister turns up in many documents, as in a real corpus. A share of the
documents carries PDF-conversion debris: hard line wraps, page breaks in the middle of a
sentence, page numbers, words hyphenated across lines.

Document ``i`` depends only on ``(seed, i)``: the first 100 documents of a 1,000-document
corpus are the 100-document corpus of the same seed.

Usage::

    python -m benchmarks.corpus_generator OUTDIR --count 1000 [--seed 0] [--words 1000]
        [--with-truth]

``--with-truth`` also writes ``OUTDIR/truth.jsonl``: per document, the facts the templates
put in (people with their posts, events with dates and places, instruments, statuses).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import re
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
FIRST_YEAR = 2027
YEARS = 20
DEBRIS_SHARE = 0.3
MONTHS = (
    "January February March April May June July August September October November December"
).split()
# Titles that also have a short form after a demonym: "the Kazakh Foreign Minister ...".
DEMONYM_TITLES = {
    "President": "President",
    "Prime Minister": "Prime Minister",
    "Minister of Foreign Affairs": "Foreign Minister",
    "Minister of Defence": "Defence Minister",
}
# Document kinds and their share of the corpus.
KINDS = (("press", 45), ("news", 20), ("report", 15), ("declaration", 10), ("communique", 10))
SLOT = re.compile(r"\{(\w+)\}")

Slot = str | Callable[[], str]


# ------------------------------------------------------------------------------ data


@dataclass(frozen=True)
class NamePool:
    family_first: bool
    feminine_suffix: bool
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


@dataclass(frozen=True)
class State:
    key: str
    short: str
    formal: str  # "the Republic of Kazakhstan"
    adjective: str
    pool: str
    status: str  # member, observer, partner
    leader: str
    government: str
    security: str
    cities: tuple[str, ...]


@dataclass(frozen=True)
class Body:
    key: str
    meeting: str
    alt: str
    short: str
    post: str
    track: str


@dataclass(frozen=True)
class OrgPost:
    key: str
    title: str
    holders: tuple[str, ...]
    short: str | None
    pool: str
    term: int


def _rows(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, without comments and blank lines."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@cache
def name_pools() -> dict[str, NamePool]:
    parts: dict[str, dict[str, str]] = {}
    for pool, kind, value in _rows("names.tsv"):
        parts.setdefault(pool, {})[kind] = value
    return {
        pool: NamePool(
            family_first=p["style"] == "family-first",
            feminine_suffix=p["feminine"] == "suffix",
            male=tuple(p["male"].split("|")),
            female=tuple(p["female"].split("|")),
            family=tuple(p["family"].split("|")),
        )
        for pool, p in parts.items()
    }


@cache
def states() -> tuple[State, ...]:
    rows = _rows("states.tsv")[1:]  # the first row names the columns
    return tuple(
        State(
            key=r[0],
            short=r[1],
            formal=r[2],
            adjective=r[3],
            pool=r[4],
            status=r[5],
            leader=r[6],
            government=r[7],
            security=r[8],
            cities=tuple(r[9].split("|")),
        )
        for r in rows
    )


@cache
def bodies() -> tuple[Body, ...]:
    return tuple(Body(*r) for r in _rows("bodies.tsv")[1:])


@cache
def org_posts() -> dict[str, OrgPost]:
    return {
        r[0]: OrgPost(
            key=r[0],
            title=r[1],
            holders=tuple(r[2].split("|")),
            short=None if r[3] == "-" else r[3],
            pool=r[4],
            term=int(r[5]),
        )
        for r in _rows("org_posts.tsv")[1:]
    }


@cache
def templates() -> dict[str, tuple[str, ...]]:
    return _grouped("templates.tsv")


@cache
def phrases() -> dict[str, tuple[str, ...]]:
    return _grouped("phrases.tsv")


def _grouped(name: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for kind, text in _rows(name):
        out.setdefault(kind, []).append(text)
    return {k: tuple(v) for k, v in out.items()}


def members() -> list[State]:
    return [s for s in states() if s.status == "member"]


def state_by_key(key: str) -> State:
    return next(s for s in states() if s.key == key)


# ------------------------------------------------------------------------------ truth


@dataclass(frozen=True)
class PersonTruth:
    """A person the text names together with a post."""

    name: str
    title: str
    holders: tuple[str, ...]  # acceptable names of the state or organisation


@dataclass(frozen=True)
class EventTruth:
    """An event the text dates (ISO 8601 at the precision written) and places."""

    name: str
    start: str
    end: str
    place: str | None
    meeting: bool


@dataclass(frozen=True)
class InstrumentTruth:
    name: str
    adopted_at: str | None  # the event it was signed or adopted at


@dataclass(frozen=True)
class StatusTruth:
    state: str  # gazetteer key of the state
    status: str  # memberOf, observerOf, dialoguePartnerOf


@dataclass
class DocumentTruth:
    document: str
    kind: str
    date: str
    people: list[PersonTruth] = field(default_factory=list)
    events: list[EventTruth] = field(default_factory=list)
    instruments: list[InstrumentTruth] = field(default_factory=list)
    statuses: list[StatusTruth] = field(default_factory=list)

    def add_person(self, person: PersonTruth) -> None:
        if person not in self.people:
            self.people.append(person)

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SyntheticDocument:
    name: str  # file name: "2031-05-14-synthetic-000123.txt"
    text: str
    truth: DocumentTruth


# ------------------------------------------------------------------------------ people


@dataclass(frozen=True)
class Person:
    name: str  # "Yerlan Abenov", "Zhou Minghao"
    initial: str  # "Y. Abenov"; a family-first name stays whole


@dataclass(frozen=True)
class Post:
    title: str  # "Minister of Foreign Affairs"
    holder: str  # "the Republic of Kazakhstan"
    holder_names: tuple[str, ...]  # for the truth: every acceptable holder name
    short: str | None = None  # "Kazakh Foreign Minister", "SCO Secretary-General"
    short_title: str | None = None  # the title inside ``short``


@dataclass(frozen=True)
class Official:
    person: Person
    post: Post


def _stable(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode("utf-8"))


def _strip_the(name: str) -> str:
    return name[4:] if name.startswith("the ") else name


class World:
    """Who holds which post in a given year: the same answer in every document of a seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._people: dict[tuple[str, ...], Person] = {}

    def person(self, pool_name: str, *key: str) -> Person:
        k = (pool_name, *key)
        if k not in self._people:
            rng = random.Random(f"scokg-world:{self.seed}:{'|'.join(k)}")
            pool = name_pools()[pool_name]
            female = rng.random() < 0.25
            given = rng.choice(pool.female if female else pool.male)
            family = rng.choice(pool.family)
            if female and pool.feminine_suffix:
                family = _feminine(family)
            if pool.family_first:
                self._people[k] = Person(f"{family} {given}", f"{family} {given}")
            else:
                self._people[k] = Person(f"{given} {family}", f"{given[0]}. {family}")
        return self._people[k]

    def _term(self, year: int, length: int, *key: str) -> int:
        return (year + _stable(self.seed, *key) % length) // length

    def state_official(self, state: State, spec: str, year: int) -> Official:
        """The holder of post ``spec`` (a bodies.tsv post) of ``state`` in ``year``."""
        post = state_post(state, spec)
        term = self._term(year, 5, state.key, spec)
        return Official(self.person(state.pool, state.key, spec, str(term)), post)

    def org_official(self, key: str, year: int) -> Official:
        org = org_posts()[key]
        term = self._term(year, org.term, key)
        if org.pool == "member":
            ms = members()
            pool = ms[(term + _stable(self.seed, key)) % len(ms)].pool
        else:
            pools = sorted(name_pools())
            pool = pools[_stable(self.seed, key, term) % len(pools)]
        names = tuple(_strip_the(h) for h in org.holders)
        post = Post(org.title, org.holders[0], names, org.short, org.title if org.short else None)
        return Official(self.person(pool, key, str(term)), post)


def _feminine(family: str) -> str:
    for ending, feminine in (("sky", "skaya"), ("ski", "skaya"), ("au", "ava")):
        if family.endswith(ending):
            return family[: -len(ending)] + feminine
    if family.endswith(("ov", "ev", "in", "yn")):
        return family + "a"
    return family


def state_post(state: State, spec: str) -> Post:
    """The post of ``state`` that a bodies.tsv ``post`` column names."""
    if spec in {"leader", "government", "security"}:
        spec = "title:" + getattr(state, spec)
    elif spec.startswith("minister:"):
        spec = "title:Minister of " + spec.split(":", 1)[1]
    title, _, body = spec.split(":", 1)[1].partition("|")
    names = (_strip_the(state.formal), state.short)
    if body:
        holder = f"the {body} of {state.formal}"
        return Post(title, holder, (_strip_the(holder), *names))
    short_title = DEMONYM_TITLES.get(title)
    short = f"{state.adjective} {short_title}" if short_title else None
    return Post(title, state.formal, names, short, short_title)


# ------------------------------------------------------------------------------ writing


@dataclass(frozen=True)
class Style:
    """How one document writes dates, dashes and quotes."""

    month_first: bool  # "June 9, 2031" instead of "9 June 2031"
    dash: str
    quotes: tuple[str, str]


class Writer:
    """Builds one document: fills templates, writes dates and people, records the truth."""

    def __init__(self, rng: random.Random, world: World, truth: DocumentTruth) -> None:
        self.rng = rng
        self.world = world
        self.truth = truth
        self.year = int(truth.date[:4])
        self.style = Style(
            month_first=rng.random() < 0.15,
            dash=rng.choice(("-", "-", "–", " – ")),
            quotes=rng.choice((('"', '"'), ("\u201c", "\u201d"))),
        )
        self.ctx: dict[str, Slot] = {
            "state_formal": lambda: self.rng.choice(states()).formal,
            "next_city": lambda: self.rng.choice(self.rng.choice(members()).cities),
            "area_lc": lambda: self.pick("area").lower(),
            "instrument": self.agreement,
            "programme": self.programme,
            "year_agreement": self.year_agreement,
            "number": lambda: str(self.rng.randrange(60, 180)),
        }

    # ------------------------------------------------------------ templates
    def pick(self, kind: str) -> str:
        return self.rng.choice(phrases()[kind])

    def fill(self, template: str, **slots: Slot) -> str:
        ctx = {**self.ctx, **slots}

        def value(m: re.Match[str]) -> str:
            name = m.group(1)
            key = name[0].lower() + name[1:]
            if key in ctx:
                v = ctx[key]
                text = v() if callable(v) else v
            else:
                text = self.pick(key)
            return text[0].upper() + text[1:] if name[0].isupper() else text

        for _ in range(4):  # phrases may hold slots of their own
            filled = SLOT.sub(value, template)
            if filled == template:
                break
            template = filled
        return template

    def sentence(self, kind: str, **slots: Slot) -> str:
        return self.fill(self.rng.choice(templates()[kind]), **slots)

    # ------------------------------------------------------------ dates
    def day(self, d: dt.date) -> str:
        if self.style.month_first:
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    def days(self, start: dt.date, end: dt.date) -> str:
        if start == end:
            return self.day(start)
        dash = self.style.dash
        if start.month == end.month and start.year == end.year:
            if self.style.month_first:
                return f"{MONTHS[start.month - 1]} {start.day}{dash}{end.day}, {end.year}"
            return f"{start.day}{dash}{end.day} {MONTHS[end.month - 1]} {end.year}"
        if start.year == end.year and not self.style.month_first:
            return f"{start.day} {MONTHS[start.month - 1]}{dash}{self.day(end)}"
        return f"{self.day(start)}{dash}{self.day(end)}"

    def month(self, d: dt.date) -> str:
        return f"{MONTHS[d.month - 1]} {d.year}"

    def span(self, end: dt.date, longest: int) -> tuple[dt.date, dt.date]:
        """An event of one to ``longest`` days ending on ``end``."""
        return end - dt.timedelta(days=self.rng.randrange(longest)), end

    def quoted(self, text: str) -> str:
        return f"{self.style.quotes[0]}{text}{self.style.quotes[1]}"

    # ------------------------------------------------------------ people
    def mention(self, official: Official, form: str = "prefix") -> str:
        """Name ``official`` with the post, in one of the forms texts use, and record it:
        ``prefix`` "Minister of ... of X Name", ``appos`` "the Minister of ... of X, Name",
        ``short`` "Kazakh Foreign Minister Name" (falls back to ``prefix``)."""
        p, name = official.post, official.person.name
        title = p.title
        if form == "short" and p.short and p.short_title:
            text = f"{p.short} {name}"
            title = p.short_title
        elif form == "appos":
            text = f"the {p.title} of {p.holder}, {name}"
        else:
            text = f"{p.title} of {p.holder} {name}"
        self.truth.add_person(PersonTruth(name, title, p.holder_names))
        return text

    def listing(self, items: Sequence[str]) -> str:
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + " and " + items[-1]

    # ------------------------------------------------------------ instruments and events
    def agreement(self) -> str:
        area = self.pick("area")
        forms = (
            f"SCO Agreement on Cooperation in the Field of {area}",
            f"Agreement between the Governments of the SCO Member States on Cooperation in {area}",
            f"SCO Agreement on Cooperation in {area}",
            f"Protocol on Amendments to the SCO Agreement on Cooperation in {area}",
            f"SCO Convention on Countering {self.rng.choice(('Cybercrime', 'Illegal Migration'))}",
        )
        return self.rng.choice(forms)

    def programme(self) -> str:
        y = self.year + self.rng.randrange(0, 2)
        area = self.pick("area")
        forms = (
            f"Programme of Cooperation of the SCO Member States in {area} for {y}-{y + 2}",
            f"SCO Plan of Action on {area} for {y}-{y + 4}",
            f"SCO Development Strategy until {y + 10 - y % 5}",
            f"Concept of Cooperation of the SCO Member States in {area}",
        )
        return self.rng.choice(forms)

    def year_agreement(self) -> str:
        y = self.year - self.rng.randrange(1, 6)
        return f"{y} agreement on cooperation in {self.pick('area').lower()}"

    def resolution_numbers(self) -> tuple[str, str, str]:
        a = self.rng.randrange(2750, 3300)
        b = a + self.rng.randrange(3, 60)
        unga = f"{self.year - 1945}/{self.rng.randrange(1, 320)}"
        return str(a), str(b), unga

    def event_dates(
        self, before: dt.date, within: int, longest: int, month_only: float = 0.0
    ) -> tuple[str, str, str]:
        """Dates of an event in the ``within`` days before ``before``: (text, start, end)."""
        end = before - dt.timedelta(days=self.rng.randrange(1, within))
        if self.rng.random() < month_only:
            return self.month(end), end.isoformat()[:7], end.isoformat()[:7]
        start, end = self.span(end, longest)
        return self.days(start, end), start.isoformat(), end.isoformat()

    def exercise_name(self, year: int) -> str:
        sep = self.rng.choice((" ", "-"))
        return f"{self.pick('exercise')}{sep}{year}"

    # ------------------------------------------------------------ sentences with facts
    def exercise_sentence(self, subject: str, before: dt.date) -> str:
        name = self.exercise_name(before.year)
        text, start, end = self.event_dates(before, 200, 6)
        city = self.rng.choice(self.rng.choice(members()).cities)
        self.truth.events.append(EventTruth(name, start, end, city, meeting=False))
        return self.sentence(
            "exercise", subject=subject, exercise=self.quoted(name), ex_dates=text, ex_city=city
        )

    def status_sentence(self, subject: str) -> str:
        candidates = [s for s in states() if s.status in {"observer", "partner"}]
        state = self.rng.choice(candidates)
        kind = self.rng.choice(("member", "observer", "partner"))
        status = {"member": "memberOf", "observer": "observerOf", "partner": "dialoguePartnerOf"}
        self.truth.statuses.append(StatusTruth(state.key, status[kind]))
        return self.sentence(f"status.{kind}", subject=subject, state_formal=state.formal)

    def resolution_sentence(self, subject: str) -> str:
        a, b, unga = self.resolution_numbers()
        return self.sentence("resolution", subject=subject, res1=a, res2=b, unga=unga)

    def filler_paragraph(self, subject_kind: str, before: dt.date) -> str:
        def subject() -> str:
            return self.pick(subject_kind)

        out = []
        for _ in range(self.rng.randrange(2, 5)):
            roll = self.rng.random()
            if roll < 0.07:
                out.append(self.exercise_sentence(subject(), before))
            elif roll < 0.14:
                out.append(self.resolution_sentence(subject()))
            elif roll < 0.24:
                out.append(self.sentence("instrument", subject=subject))
            else:
                out.append(self.sentence("stance", subject=subject))
        return " ".join(out)


# ------------------------------------------------------------------------------ documents


@dataclass
class Draft:
    """A document before rendering: title, optional dateline, paragraphs and list items."""

    title: str
    dateline: str | None = None
    blocks: list[str] = field(default_factory=list)  # a list item starts with "- "

    def words(self) -> int:
        return sum(len(b.split()) for b in (self.title, self.dateline or "", *self.blocks))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fill_to(w: Writer, draft: Draft, words: int, subject_kind: str, before: dt.date) -> None:
    """Add paragraphs of stances, instruments and exercises until ``words`` is reached."""
    while draft.words() < words - 20:
        draft.blocks.append(w.filler_paragraph(subject_kind, before))


def _dateline(w: Writer, city: str, d: dt.date) -> str:
    forms = (
        f"{city}, {w.day(d)}",
        f"*{d.year} / {d.month:02d} / {d.day:02d}*",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        w.day(d),
    )
    return w.rng.choice(forms)


def _meeting_of(
    w: Writer, body: Body, host: State, end: dt.date, longest: int
) -> tuple[str, str, str, dt.date, dt.date]:
    """The meeting of ``body`` hosted by ``host`` ending on ``end``: (name, alt, city,
    start, end), recorded as an event of the document."""
    start, end = w.span(end, longest)
    city = host.cities[0] if w.rng.random() < 0.5 else w.rng.choice(host.cities)
    name = body.meeting
    if w.rng.random() < 0.3:
        name = f"{_ordinal(w.rng.randrange(2, 40))} {name}"
    w.truth.events.append(EventTruth(name, start.isoformat(), end.isoformat(), city, meeting=True))
    return name, body.alt, city, start, end


def press_release(w: Writer, date: dt.date, words: int) -> Draft:
    body = w.rng.choice([b for b in bodies() if b.post != "-"])
    host = w.rng.choice(members())
    name, alt, city, start, end = _meeting_of(
        w, body, host, date, 2 if "Heads" in body.meeting else 1
    )
    dates = w.days(start, end)
    year = date.year
    chair = w.world.state_official(host, body.post, year)
    chair_form = w.rng.choice(("prefix", "appos"))
    draft = Draft(w.sentence("press.title", meeting=name, alt=alt, city=city))
    if w.rng.random() < 0.7:
        draft.dateline = _dateline(w, city, date)
    draft.blocks.append(
        w.sentence(
            "press.open", meeting=name, alt=alt, dates=dates, city=city, chair_state=host.formal
        )
    )
    delegations = w.rng.sample(members(), w.rng.randrange(6, len(members()) + 1))
    if host not in delegations:
        delegations.insert(0, host)
    people = [
        w.mention(
            w.world.state_official(s, body.post, year),
            "short" if w.rng.random() < 0.15 else "prefix",
        )
        for s in delegations
    ]
    draft.blocks.append(w.sentence("press.attend", people=w.listing(people)))
    chair_text = w.mention(chair, chair_form)
    kind = "press.chair_appos" if chair_form == "appos" else "press.chair"
    draft.blocks.append(w.sentence(kind, chair=chair_text, chair_appos=chair_text))
    officials = [w.mention(w.world.org_official("sco-sg", year), w.rng.choice(("short", "prefix")))]
    if body.track == "security" or w.rng.random() < 0.3:
        officials.append(w.mention(w.world.org_official("rats-director", year)))
    draft.blocks.append(w.sentence("press.officials", officials=w.listing(officials)))
    if body.key in {"heads-of-state", "heads-of-government", "foreign"}:
        observers = [s for s in states() if s.status == "observer"]
        people = [w.mention(w.world.state_official(s, body.post, year)) for s in observers]
        draft.blocks.append(w.sentence("press.observers", observers=w.listing(people)))
        if w.rng.random() < 0.6:
            guests = w.rng.sample(
                ["un-sg", "cis-secretary", "csto-sg", "asean-sg", "cica-director", "eec-chair"],
                w.rng.randrange(2, 5),
            )
            people = [w.mention(w.world.org_official(g, year)) for g in guests]
            draft.blocks.append(w.sentence("press.guests", guests=w.listing(people)))
    if w.rng.random() < 0.5:
        draft.blocks.append(
            w.sentence(
                "press.remarks",
                chair_short=chair.person.initial,
                host_adjective=host.adjective,
                chair_adjective=host.adjective,
            )
        )
    subject_kind = "summit_subject" if "Heads" in body.meeting else "minister_subject"
    if body.key == "heads-of-state" and w.rng.random() < 0.5:
        draft.blocks.append(w.status_sentence(w.pick(subject_kind)))
    closing = []
    if w.rng.random() < 0.6:
        instrument = w.agreement()
        w.truth.instruments.append(InstrumentTruth(instrument, name))
        signers = "heads of state" if body.key == "heads-of-state" else "heads of delegation"
        closing.append(w.sentence("signing", signers=signers, instrument=instrument))
    if w.rng.random() < 0.7:
        next_host = w.rng.choice(members())
        when = w.rng.choice((str(year + 1), w.month(date + dt.timedelta(days=365))))
        closing.append(
            w.sentence(
                "press.next",
                body_short=body.short,
                next_when=when,
                next_city=w.rng.choice(next_host.cities),
            )
        )
    _fill_to(w, draft, words - sum(len(c.split()) for c in closing), subject_kind, date)
    draft.blocks.extend(closing)
    return draft


def declaration(w: Writer, date: dt.date, words: int) -> Draft:
    host = w.rng.choice(members())
    body = next(b for b in bodies() if b.key == "heads-of-state")
    city = host.cities[0] if w.rng.random() < 0.6 else w.rng.choice(host.cities)
    w.truth.events.append(
        EventTruth(body.meeting, date.isoformat(), date.isoformat(), city, meeting=True)
    )
    draft = Draft(w.sentence("decl.title", city=city))
    draft.blocks.append(w.sentence("decl.open", city=city, date=w.day(date)))
    year = date.year
    draft.blocks.append(
        w.sentence(
            "decl.people",
            sg=w.world.org_official("sco-sg", year).person.name,
            rats=w.world.org_official("rats-director", year).person.name,
        )
    )
    # The two forms of decl.people name the Secretary-General (and the RATS Director)
    # with their posts in front; record them as such.
    sg = w.world.org_official("sco-sg", year)
    w.truth.add_person(PersonTruth(sg.person.name, "Secretary-General", sg.post.holder_names))
    if "Regional Anti-Terrorist Structure" in draft.blocks[-1]:
        rats = w.world.org_official("rats-director", year)
        w.truth.add_person(PersonTruth(rats.person.name, "Director", rats.post.holder_names))
    closing = [
        w.sentence("decl.thanks", leader=w.mention(w.world.state_official(host, "leader", year)))
    ]
    if w.rng.random() < 0.5:
        closing.append(w.status_sentence("The heads of state"))
    closing.append(f"{city}, {w.day(date)}")
    _fill_to(w, draft, words - sum(len(c.split()) for c in closing), "decl_subject", date)
    draft.blocks.extend(closing)
    return draft


def chairmanship_report(w: Writer, date: dt.date, words: int) -> Draft:
    host = w.rng.choice(members())
    year1, year2 = date.year - 1, date.year
    draft = Draft(
        w.sentence(
            "report.title",
            adjective=host.adjective,
            state_formal=host.formal,
            year1=str(year1),
            year2=str(year2),
        )
    )
    begin = dt.date(year1, w.rng.choice((6, 7, 9)), 1)
    draft.blocks.append(
        w.sentence(
            "report.intro",
            state_formal=host.formal,
            start_when=w.month(begin),
            end_when=w.month(date),
            motto=w.quoted(w.pick("motto")),
        )
    )
    draft.blocks.append(
        w.sentence(
            "report.leader",
            leader=w.mention(w.world.state_official(host, "leader", begin.year)),
            start_when=w.month(begin),
        )
    )
    draft.blocks.append(w.sentence("report.count"))
    within = max(30, (date - begin).days)
    by_track: dict[str, list[str]] = {}
    choices = w.rng.sample([b for b in bodies() if b.key != "heads-of-state"], 12)
    for _ in range(w.rng.randrange(8, 15)):
        roll = w.rng.random()
        text, start, end = w.event_dates(date, within, 3, month_only=0.1)
        city = w.rng.choice(host.cities)
        if roll < 0.65 and choices:
            body = choices.pop()
            if body.post != "-" and w.rng.random() < 0.35:
                chair = w.world.state_official(host, body.post, int(start[:4]))
                item = w.sentence(
                    "report.chaired",
                    meeting=body.meeting,
                    dates=text,
                    city=city,
                    chair_appos=w.mention(chair, "appos"),
                )
            else:
                item = w.sentence("report.meeting", meeting=body.meeting, dates=text, city=city)
            w.truth.events.append(EventTruth(body.meeting, start, end, city, meeting=True))
            track = body.track
        elif roll < 0.85:
            forum = w.pick("forum")
            item = w.sentence("report.forum", forum=forum, dates=text, city=city)
            w.truth.events.append(EventTruth(forum, start, end, city, meeting=True))
            track = "humanitarian"
        else:
            name = w.exercise_name(int(start[:4]))
            item = w.sentence("report.exercise", exercise=w.quoted(name), dates=text, city=city)
            w.truth.events.append(EventTruth(name, start, end, city, meeting=False))
            track = "security"
        by_track.setdefault(track, []).append(item)
    for track in ("political", "security", "economic", "humanitarian"):
        if track in by_track:
            draft.blocks.append(w.pick(f"section_{track}"))
            draft.blocks.extend(f"- {item}" for item in by_track[track])
    following = w.rng.choice([s for s in members() if s != host])
    closing = [
        w.sentence(
            "report.close",
            adjective=host.adjective,
            state_formal=host.formal,
            next_state_formal=following.formal,
        )
    ]
    _fill_to(w, draft, words - len(closing[0].split()), "decl_subject", date)
    draft.blocks.extend(closing)
    return draft


def communique(w: Writer, date: dt.date, words: int) -> Draft:
    host = w.rng.choice(members())
    body = next(b for b in bodies() if b.key == "heads-of-government")
    start, end = w.span(date, 2)
    city = w.rng.choice(host.cities)
    n = w.rng.randrange(15, 40)
    name = f"{_ordinal(n)} {body.meeting}"
    w.truth.events.append(EventTruth(name, start.isoformat(), end.isoformat(), city, True))
    draft = Draft(w.sentence("communique.title", ordinal=_ordinal(n)))
    if w.rng.random() < 0.5:
        draft.dateline = _dateline(w, city, date)
    draft.blocks.append(
        w.sentence(
            "press.open",
            meeting=name,
            alt=body.alt,
            dates=w.days(start, end),
            city=city,
            chair_state=host.formal,
        )
    )
    year = date.year
    people = [w.mention(w.world.state_official(s, "government", year)) for s in members()]
    draft.blocks.append(w.sentence("press.attend", people=w.listing(people)))
    chair = w.mention(w.world.state_official(host, "government", year))
    draft.blocks.append(w.sentence("press.chair", chair=chair, chair_appos=chair))
    sg = w.mention(w.world.org_official("sco-sg", year), "short")
    draft.blocks.append(w.sentence("press.officials", officials=sg))
    draft.blocks.append(
        w.sentence("communique.budget", next_year=str(year + 1), this_year=str(year))
    )
    _fill_to(w, draft, words, "summit_subject", date)
    return draft


def news_item(w: Writer, date: dt.date, words: int) -> Draft:
    year = date.year
    state = w.rng.choice([s for s in states() if s.status != "member"] + members())
    spec = w.rng.choice(("minister:Foreign Affairs", "government", "minister:Economy and Trade"))
    visitor = w.world.state_official(state, spec, year)
    sg = w.world.org_official("sco-sg", year)
    visitor_short = f"{visitor.post.title} of {state.short}"
    draft = Draft(w.sentence("news.title", visitor_short=visitor_short))
    draft.dateline = w.day(date)
    draft.blocks.append(
        w.sentence(
            "news.open", date=w.day(date), sg=w.mention(sg, "short"), visitor=w.mention(visitor)
        )
    )
    body = w.rng.choice([b for b in bodies() if b.key in {"heads-of-state", "foreign"}])
    draft.blocks.append(
        " ".join(
            w.sentence(
                "news.body",
                meeting=body.meeting,
                state_formal=state.formal,
                visitor_initial=visitor.person.initial,
            )
            for _ in range(2)
        )
    )
    forum = w.pick("forum")
    later = date + dt.timedelta(days=w.rng.randrange(20, 200))
    start, end = w.span(later, 3)
    city = w.rng.choice(w.rng.choice(members()).cities)
    w.truth.events.append(EventTruth(forum, start.isoformat(), end.isoformat(), city, True))
    draft.blocks.append(
        w.sentence(
            "news.invite",
            visitor_initial=visitor.person.initial,
            forum=forum,
            city=city,
            dates=w.days(start, end),
        )
    )
    _fill_to(w, draft, words, "news_subject", date)
    return draft


BUILDERS: dict[str, Callable[[Writer, dt.date, int], Draft]] = {
    "press": press_release,
    "news": news_item,
    "report": chairmanship_report,
    "declaration": declaration,
    "communique": communique,
}


# ------------------------------------------------------------------------------ rendering


def render(draft: Draft) -> str:
    lines = [draft.title, ""]
    if draft.dateline:
        lines += [draft.dateline, ""]
    for block in draft.blocks:
        lines.append(block)
        # list items of one section stay together; everything else is a paragraph
        if not block.startswith("- "):
            lines.append("")
    text = "\n".join(lines)
    text = re.sub(r"(\n- [^\n]*)\n(?!- )", r"\1\n\n", text)  # a blank line after a list
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def add_debris(text: str, rng: random.Random) -> str:
    """PDF-conversion debris: hard wraps, page breaks inside paragraphs with page numbers,
    words hyphenated across a line end."""
    width = rng.randrange(68, 92)
    page = 1
    since_break = 0
    out: list[str] = []
    for para in text.split("\n\n"):
        if para.startswith("- ") or len(para) < width:
            out.append(para)
            continue
        lines: list[str] = []
        line = ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > width:
                if len(word) >= 9 and word.isalpha() and word.islower() and rng.random() < 0.15:
                    cut = rng.randrange(3, len(word) - 3)
                    lines.append(f"{line} {word[:cut]}-")
                    line = word[cut:]
                    continue
                lines.append(line)
                line = word
                since_break += 1
                if since_break > 40 and rng.random() < 0.08:
                    page += 1
                    since_break = 0
                    marker = rng.choice((f"{page}", f"- {page} -", "\f"))
                    lines.append(f"\n{marker}\n" if marker != "\f" else "\f")
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


# ------------------------------------------------------------------------------ corpus


def document(
    index: int, *, seed: int = 0, words: int = 1000, world: World | None = None
) -> SyntheticDocument:
    """Document number ``index`` of the corpus of ``seed``."""
    rng = random.Random(f"scokg-synthetic:{seed}:{index}")
    world = world or World(seed)
    kind = rng.choices([k for k, _ in KINDS], weights=[n for _, n in KINDS])[0]
    date = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365 * YEARS))
    name = f"{date.isoformat()}-synthetic-{index:06d}.txt"
    truth = DocumentTruth(document=name, kind=kind, date=date.isoformat())
    writer = Writer(rng, world, truth)
    text = render(BUILDERS[kind](writer, date, words))
    if rng.random() < DEBRIS_SHARE:
        text = add_debris(text, rng)
    return SyntheticDocument(name, text, truth)


def revise(text: str, *, seed: int = 0) -> str:
    """``text`` with one more paragraph (stances and a dated exercise): a changed document
    for incremental-build benchmarks. Deterministic by ``seed``."""
    rng = random.Random(f"scokg-revision:{seed}:{len(text)}")
    truth = DocumentTruth(document="", kind="revision", date=f"{FIRST_YEAR + YEARS // 2}-06-15")
    writer = Writer(rng, World(seed), truth)
    when = dt.date.fromisoformat(truth.date)
    paragraph = writer.exercise_sentence("The parties", when) + " "
    paragraph += writer.filler_paragraph("minister_subject", when)
    return text.rstrip("\n") + "\n\n" + paragraph + "\n"


def generate_documents(
    count: int, *, seed: int = 0, words: int = 1000
) -> Iterator[SyntheticDocument]:
    """The first ``count`` documents of the corpus of ``seed``, with their truth."""
    world = World(seed)
    for index in range(count):
        yield document(index, seed=seed, words=words, world=world)


def generate(count: int, *, seed: int = 0, words: int = 1000) -> Iterator[tuple[str, str]]:
    """(file name, text) of the first ``count`` documents of the corpus of ``seed``."""
    for doc in generate_documents(count, seed=seed, words=words):
        yield doc.name, doc.text


def write_corpus(
    outdir: Path, count: int, *, seed: int = 0, words: int = 1000, with_truth: bool = False
) -> int:
    """Write the corpus to ``outdir`` (and ``truth.jsonl``); returns the number of words."""
    outdir.mkdir(parents=True, exist_ok=True)
    total = 0
    truth_file = (outdir / "truth.jsonl").open("w", encoding="utf-8") if with_truth else None
    try:
        for doc in generate_documents(count, seed=seed, words=words):
            (outdir / doc.name).write_text(doc.text, encoding="utf-8")
            total += len(doc.text.split())
            if truth_file is not None:
                truth_file.write(json.dumps(doc.truth.to_json(), ensure_ascii=False) + "\n")
    finally:
        if truth_file is not None:
            truth_file.close()
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus_generator",
        description="Write a synthetic corpus of SCO-style documents (deterministic by seed).",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the .txt documents to")
    parser.add_argument("--count", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--words", type=int, default=1000, help="words per document (about)")
    parser.add_argument(
        "--with-truth",
        action="store_true",
        help="also write truth.jsonl: the people, events, instruments and statuses put in",
    )
    args = parser.parse_args(argv)
    if args.count < 0 or args.words < 100:
        parser.error("--count must be >= 0 and --words >= 100")
    total = write_corpus(
        args.outdir, args.count, seed=args.seed, words=args.words, with_truth=args.with_truth
    )
    print(f"wrote {args.count} documents ({total} words) to {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
