"""A deterministic N-Triples file of exactly N triples in scokg's data model.

The serving benchmark (``benchmarks/serve.py``) needs graphs of 100,000 and 1,000,000
triples whose shapes are those a build produces (``docs/data-model.md``), so that the
research queries it times do what they would do on real data: the ontology itself (so
``rdfs:subClassOf*`` has a hierarchy to walk), states, cities and venues chained by
``sco:locatedIn``, people holding positions of states, organisations, meetings with dates,
places, chairs and participants, instruments adopted at meetings, and source documents with
their NIF sentences, entity mentions, reified facts and stances. The world grows with N
(more people, cities, meetings and documents), and documents fill the file up to exactly N
lines. Names are combined from ``ntriples_words.json``; the same N and seed always give the
same bytes.

    python -m benchmarks.ntriples_generator --triples 100000 -o var/bench/100k.nt
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from scokg.resources import ontology_path

WORDS = Path(__file__).resolve().parent / "ntriples_words.json"

BASE = "https://w3id.org/scokg/"
SCO = BASE + "ontology#"
RES = BASE + "resource/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF = "http://www.w3.org/2005/11/its/rdf#"
DCTERMS = "http://purl.org/dc/terms/"
WD = "http://www.wikidata.org/entity/"

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
ALT = f"<{SKOS}altLabel>"
EXACT = f"<{SKOS}exactMatch>"
ATTITUDES = ("Support", "Welcome", "Praise", "CallFor", "Condemn", "Concern")
FIRST_YEAR, LAST_YEAR = 2001, 2024


def iri(value: str) -> str:
    return f"<{value}>"


def sco(name: str) -> str:
    return f"<{SCO}{name}>"


def res(slug: str) -> str:
    return f"<{RES}{slug}>"


def text(value: str, lang: str | None = "en") -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Scale:
    """How big the world of a file of ``triples`` triples is."""

    cities_per_state: int
    persons: int
    meetings: int
    instruments: int

    @classmethod
    def for_triples(cls, triples: int) -> Scale:
        return cls(
            cities_per_state=max(3, triples // 20_000),
            persons=max(20, triples // 120),
            meetings=max(10, triples // 150),
            instruments=max(5, triples // 600),
        )


@dataclass
class World:
    """The entities documents talk about, by IRI (already in angle brackets)."""

    states: list[tuple[str, str]]  # (iri, label)
    cities: list[tuple[str, str, str]]  # (iri, label, state iri)
    places: list[str]  # cities and venues: where a meeting can be held
    organisations: list[tuple[str, str]]
    persons: list[tuple[str, str, str]]  # (iri, label, state iri)
    meetings: list[tuple[str, str, date, list[str]]]  # (iri, label, start, participants)
    _labels: dict[str, str] | None = None

    def labels(self) -> dict[str, str]:
        """The labels of people and states, by IRI."""
        if self._labels is None:
            self._labels = {p[0]: p[1] for p in self.persons}
            self._labels.update(self.states)
        return self._labels


class Generator:
    """Yields N-Triples lines (without the final newline) for one seed and scale."""

    def __init__(self, triples: int, seed: int = 0) -> None:
        self.scale = Scale.for_triples(triples)
        self.random = random.Random(seed)
        self.words = json.loads(WORDS.read_text(encoding="utf-8"))
        self.qid = 1_000_000

    def wikidata(self) -> str:
        self.qid += 1
        return iri(f"{WD}Q{self.qid}")

    def lines(self) -> Iterator[str]:
        yield from ontology_lines()
        world = World([], [], [], [], [], [])
        yield from self.states(world)
        yield from self.places(world)
        yield from self.organisations(world)
        yield from self.persons(world)
        yield from self.meetings(world)
        yield from self.instruments(world)
        number = 0
        while True:  # the caller stops at N
            yield from self.document(world, number)
            number += 1

    # -- entities ------------------------------------------------------------------------------
    def states(self, world: World) -> Iterator[str]:
        for name in self.words["states"]:
            node = res(slug(name))
            world.states.append((node, name))
            yield f"{node} {A} {sco('State')} ."
            yield f"{node} {LABEL} {text(name)} ."
            yield f"{node} {ALT} {text('Republic of ' + name)} ."
            yield f"{node} {EXACT} {self.wikidata()} ."

    def town_name(self, taken: set[str]) -> str:
        while True:
            name = self.random.choice(self.words["town_prefixes"]) + self.random.choice(
                self.words["town_suffixes"]
            )
            if name in taken:
                name = f"{name} {self.random.choice(['North', 'South', 'East', 'West', 'Upper'])}"
            if name not in taken:
                taken.add(name)
                return name

    def places(self, world: World) -> Iterator[str]:
        for state, state_name in world.states:
            taken: set[str] = set()
            for number in range(self.scale.cities_per_state):
                name = f"{state_name} Capital" if number == 0 else self.town_name(taken)
                city = res(slug(f"{name}-{state_name}") if number else slug(name))
                world.cities.append((city, name, state))
                world.places.append(city)
                yield f"{city} {A} {sco('City')} ."
                yield f"{city} {LABEL} {text(name)} ."
                yield f"{city} {sco('locatedIn')} {state} ."
                if self.random.random() < 0.5:
                    yield f"{city} {EXACT} {self.wikidata()} ."
                if number % 3 == 0:  # a venue inside the city: two steps of sco:locatedIn
                    venue_name = f"Palace of Congresses of {name}"
                    venue = res(slug(venue_name + "-" + state_name))
                    world.places.append(venue)
                    yield f"{venue} {A} {sco('Place')} ."
                    yield f"{venue} {LABEL} {text(venue_name)} ."
                    yield f"{venue} {sco('locatedIn')} {city} ."

    def organisations(self, world: World) -> Iterator[str]:
        for name in self.words["organisation_words"]:
            node = res(slug(name))
            world.organisations.append((node, name))
            yield f"{node} {A} {sco('Organisation')} ."
            yield f"{node} {LABEL} {text(name)} ."
            yield f"{node} {EXACT} {self.wikidata()} ."
        sco_node = world.organisations[0][0]
        for index, (state, _) in enumerate(world.states):
            status = ("memberOf", "observerOf", "dialoguePartnerOf")[min(2, index // 10)]
            yield f"{state} {sco(status)} {sco_node} ."
            if index % 4 == 0:
                other = world.organisations[1 + index % (len(world.organisations) - 1)][0]
                yield f"{state} {sco('memberOf')} {other} ."

    def persons(self, world: World) -> Iterator[str]:
        taken: set[str] = set()
        titles = self.words["titles"]
        positions: set[str] = set()
        for number in range(self.scale.persons):
            given = self.random.choice(self.words["given_names"])
            family = self.random.choice(self.words["family_names"])
            name = f"{given} {family}"
            if name in taken:
                name = f"{given} {chr(65 + number % 26)}. {family} {number}"
            taken.add(name)
            node = res(slug(name))
            state, state_name = self.random.choice(world.states)
            world.persons.append((node, name, state))
            yield f"{node} {A} {sco('Person')} ."
            yield f"{node} {LABEL} {text(name)} ."
            yield f"{node} {ALT} {text(f'{given[0]}. {family}')} ."
            if self.random.random() < 0.7:
                yield f"{node} {EXACT} {self.wikidata()} ."
            title = titles[min(len(titles) - 1, int(self.random.expovariate(0.35)))]
            position = res(slug(f"{title}-of-{state_name}"))
            yield f"{node} {sco('holdsPosition')} {position} ."
            if position not in positions:
                positions.add(position)
                yield f"{position} {A} {sco('Position')} ."
                yield f"{position} {LABEL} {text(f'{title} of {state_name}')} ."
                yield f"{position} {sco('title')} {text(title)} ."
                yield f"{position} {sco('positionOf')} {state} ."

    def meetings(self, world: World) -> Iterator[str]:
        span = (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR, 1, 1)).days
        for number in range(self.scale.meetings):
            kind = self.random.choice(self.words["meeting_kinds"])
            start = date(FIRST_YEAR, 1, 1) + timedelta(days=self.random.randrange(span))
            length = self.random.choice((0, 0, 1, 1, 2))
            end = start + timedelta(days=length)
            label = f"SCO {kind} {start.isoformat()}"
            node = res(f"{slug('sco ' + kind)}-{start.isoformat()}-{number}")
            chair = self.random.choice(world.persons)
            participants = [p[0] for p in self.random.sample(world.persons, 6)]
            participants += [s[0] for s in self.random.sample(world.states, 3)]
            if chair[0] not in participants:
                participants.append(chair[0])
            world.meetings.append((node, label, start, participants))
            yield f"{node} {A} {sco('Meeting')} ."
            yield f"{node} {LABEL} {text(label)} ."
            yield f"{node} {sco('startDate')} {typed(start.isoformat(), 'date')} ."
            yield f"{node} {sco('endDate')} {typed(end.isoformat(), 'date')} ."
            yield f"{node} {sco('location')} {self.random.choice(world.places)} ."
            yield f"{node} {sco('chair')} {chair[0]} ."
            for participant in participants:
                yield f"{node} {sco('participant')} {participant} ."

    def instruments(self, world: World) -> Iterator[str]:
        kinds = self.words["instrument_kinds"]
        for number in range(self.scale.instruments):
            cls, word = self.random.choice(kinds)
            subject = self.random.choice(self.words["subjects"])
            meeting, _, start, _ = self.random.choice(world.meetings)
            label = f"SCO {word} on {subject} ({start.year})"
            node = res(f"{slug(label)}-{number}")
            yield f"{node} {A} {sco(cls)} ."
            yield f"{node} {LABEL} {text(label)} ."
            yield f"{node} {sco('signingDate')} {typed(start.isoformat(), 'date')} ."
            yield f"{node} {sco('signingPlace')} {self.random.choice(world.cities)[0]} ."
            yield f"{node} {sco('adoptedAt')} {meeting} ."

    # -- documents -----------------------------------------------------------------------------
    def document(self, world: World, number: int) -> Iterator[str]:
        meeting, meeting_label, start, participants = world.meetings[number % len(world.meetings)]
        doc_id = f"{start.isoformat()}-{slug(meeting_label)[:40]}-{number}"
        doc = f"{RES}document/{doc_id}"
        node = iri(doc)
        yield f"{node} {A} {sco('SourceDocument')} ."
        yield f"{node} {A} <{NIF}Context> ."
        yield f"{node} {LABEL} {text('Press release on the ' + meeting_label)} ."
        yield f"{node} <{DCTERMS}identifier> {text(doc_id, None)} ."
        yield f"{node} {sco('fileName')} {text(doc_id + '.txt', None)} ."
        yield f"{node} <{DCTERMS}date> {typed(start.isoformat(), 'date')} ."
        digest = hashlib.sha256(doc_id.encode()).hexdigest()
        yield f"{node} {sco('sha256')} {text(digest, None)} ."
        labels = world.labels()
        mentioned = {meeting}
        offset = 0
        sentences = []
        for index in range(self.random.randint(10, 40)):
            names = self.random.sample(participants, 2)
            opener = self.random.choice(self.words["sentence_openers"])
            topic = self.random.choice(self.words["sentence_topics"])
            first, second = labels.get(names[0], ""), labels.get(names[1], "")
            sentence = f"{opener} {topic}, as {first} and {second} said at the meeting."
            begin, end = offset, offset + len(sentence)
            offset = end + 1 + index % 3
            sent = iri(f"{doc}#char={begin},{end}")
            sentences.append(sent)
            yield f"{sent} {A} <{NIF}Sentence> ."
            yield f"{sent} <{NIF}referenceContext> {node} ."
            yield f"{sent} <{NIF}beginIndex> {typed(begin, 'integer')} ."
            yield f"{sent} <{NIF}endIndex> {typed(end, 'integer')} ."
            yield f"{sent} <{NIF}anchorOf> {text(sentence, None)} ."
            for target, surface in ((names[0], first), (names[1], second)):
                at = begin + sentence.index(surface)
                phrase = iri(f"{doc}#char={at},{at + len(surface)}")
                yield f"{phrase} {A} <{NIF}Phrase> ."
                yield f"{phrase} <{NIF}referenceContext> {node} ."
                yield f"{phrase} <{NIF}sentence> {sent} ."
                yield f"{phrase} <{NIF}beginIndex> {typed(at, 'integer')} ."
                yield f"{phrase} <{NIF}endIndex> {typed(at + len(surface), 'integer')} ."
                yield f"{phrase} <{NIF}anchorOf> {text(surface, None)} ."
                yield f"{phrase} <{ITSRDF}taIdentRef> {target} ."
                mentioned.add(target)
        for entity in sorted(mentioned):
            yield f"{entity} {sco('mentionedIn')} {node} ."
        for participant in participants:
            fact = iri(f"{doc}#fact-{_hash(meeting, participant)}")
            yield f"{fact} {A} <{RDF}Statement> ."
            yield f"{fact} <{RDF}subject> {meeting} ."
            yield f"{fact} <{RDF}predicate> {sco('participant')} ."
            yield f"{fact} <{RDF}object> {participant} ."
            yield f"{fact} <{PROV}wasDerivedFrom> {self.random.choice(sentences)} ."
        for index in range(3):
            holder = self.random.choice(world.states[:10] + world.organisations[:1])[0]
            target = self.random.choice(world.meetings)[0]
            stance = iri(f"{doc}#stance-{_hash(holder, target, str(index))}")
            yield f"{stance} {A} {sco('Stance')} ."
            yield f"{stance} {sco('stanceHolder')} {holder} ."
            yield f"{stance} {sco('attitude')} {sco(self.random.choice(ATTITUDES))} ."
            yield f"{stance} {sco('stanceTarget')} {target} ."
            yield f"{stance} <{PROV}wasDerivedFrom> {self.random.choice(sentences)} ."


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def ontology_lines() -> Iterator[str]:
    """The ontology's own triples (class hierarchy, properties), blank nodes relabelled."""
    labels: dict[str, str] = {}

    def term(node: object) -> str:
        if isinstance(node, ox.BlankNode):
            return labels.setdefault(node.value, f"_:ontology{len(labels)}")
        return str(node)

    for triple in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        yield f"{term(triple.subject)} {triple.predicate} {term(triple.object)} ."


def generate(triples: int, out: IO[str], seed: int = 0) -> int:
    """Write exactly ``triples`` distinct N-Triples lines to ``out``; returns the count."""
    written = 0
    if triples <= 0:
        return 0
    for line in Generator(triples, seed).lines():
        out.write(line)
        out.write("\n")
        written += 1
        if written == triples:
            break
    return written


def ensure_file(path: Path, triples: int, seed: int = 0) -> Path:
    """``path`` holding the file for ``triples`` and ``seed``, generated if not there yet."""
    if path.is_file() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        generate(triples, out, seed)
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="how many triples")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.output is None:
        generate(args.triples, sys.stdout, args.seed)
    else:
        ensure_file(args.output, args.triples, args.seed)


if __name__ == "__main__":
    main()
