"""What extraction produces: sentences, entities, facts and stances of one document.

These plain data classes are the contract between ``scokg.extract`` (text -> facts) and
``scokg.graph`` (facts -> RDF). Offsets always refer to the original document text, so a
fact can be traced back to the exact characters it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The entity types of the annotation guidelines; each maps to a class of the ontology.
ENTITY_TYPES = ("State", "Person", "Organisation", "Instrument", "Event", "City")

# Fact kinds and what their object is: an entity id, a date (ISO 8601, possibly reduced
# precision: "2017-06-09", "2017-06", "2017") or, for ``position``, a holder entity id with
# the title given separately.
ENTITY_FACTS = (
    "participant",  # Event -> Person
    "chair",  # Event -> Person
    "location",  # Event -> City/State
    "memberOf",  # State -> Organisation
    "observerOf",  # State -> Organisation
    "dialoguePartnerOf",  # State -> Organisation
    "signingPlace",  # Instrument -> City/State
    "adoptedAt",  # Instrument -> Event
    "locatedIn",  # City -> State
    "position",  # Person -> holder (State/Organisation), with ``title``
)
DATE_FACTS = ("startDate", "endDate", "signingDate")
FACT_KINDS = ENTITY_FACTS + DATE_FACTS

# Attitudes of a stance (see ontology: the sco:Attitude SKOS scheme).
ATTITUDES = ("support", "welcome", "praise", "callFor", "condemn", "concern")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its position in the original text and its cleaned-up text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where the document names an entity."""

    sentence: int
    start: int
    end: int
    surface: str


@dataclass(slots=True)
class Entity:
    """An entity as one document knows it, before cross-document resolution.

    ``id`` is local to the document. ``key`` is the gazetteer key when a gazetteer entry
    was recognised (the global identity), otherwise ``None`` and resolution derives one.
    ``names`` holds every surface form the document uses, as written (whitespace collapsed),
    best name first.
    """

    id: str
    type: str
    names: list[str] = field(default_factory=list)
    key: str | None = None
    subtype: str | None = None  # e.g. Convention, Treaty, Meeting, Exercise
    meeting: bool = False
    mentions: list[Mention] = field(default_factory=list)
    # Hints for resolving events across documents (the body that met, dates) and other
    # type-specific details; free-form but JSON-serialisable.
    attrs: dict[str, str] = field(default_factory=dict)

    def add_name(self, name: str) -> None:
        if name and name not in self.names:
            self.names.append(name)


@dataclass(frozen=True, slots=True)
class Fact:
    """A relation the document states, with the sentence it came from.

    ``subject`` is an entity id. ``object`` is an entity id for the kinds in
    ``ENTITY_FACTS`` and an ISO date string for ``DATE_FACTS``. ``title`` is set only for
    ``position`` facts ("President", "Secretary-General").
    """

    kind: str
    subject: str
    object: str
    sentence: int
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Stance:
    """A position taken in the text: ``holder`` welcomes/supports/... ``target``."""

    holder: str | None
    attitude: str
    target: str
    sentence: int
    cue: str = ""


@dataclass(slots=True)
class DocumentExtraction:
    """Everything extracted from one document."""

    doc_id: str
    path: str
    sha256: str
    title: str
    date: str | None
    sentences: list[Sentence] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
