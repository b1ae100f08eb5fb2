"""Cross-document resolution: one identifier per real thing, whatever the number of documents."""

from __future__ import annotations

from scokg.extract.document import extract_text
from scokg.extract.resolve import ResolvedCorpus, resolve


def corpus(*texts: str) -> ResolvedCorpus:
    return resolve([extract_text(text, f"doc-{n}") for n, text in enumerate(texts)])


def labels(resolved: ResolvedCorpus, kind: str) -> list[str]:
    return sorted(e.label for e in resolved.entities.values() if e.type == kind)


def test_an_organisation_no_list_knows_is_one_entity_across_documents() -> None:
    text = (
        "On 3 May 2031 the Council of River Basin Authorities met in Osh. "
        "The Council of River Basin Authorities adopted its work plan."
    )
    resolved = corpus(text, text.replace("Osh", "Khujand"), text)
    found = [
        e
        for e in resolved.entities.values()
        if e.type == "Organisation" and "River Basin" in e.label
    ]
    assert len(found) == 1
    assert found[0].documents == ["doc-0", "doc-1", "doc-2"]


NURLAN = [
    f"Minister of Water Resources of the Kyrgyz Republic Nurlan Abenov visited Osh on {day} May "
    "2031."
    for day in range(1, 9)
]
INITIAL = "Minister of Water Resources of the Kyrgyz Republic N. Abenov visited Osh."
NADIR = "Minister of Energy of the Republic of Tajikistan Nadir Abenov visited Khujand in 2031."


def test_the_same_person_in_many_documents_is_one_person() -> None:
    resolved = corpus(*NURLAN, INITIAL)
    assert labels(resolved, "Person") == ["Nurlan Abenov"]
    (person,) = [e for e in resolved.entities.values() if e.type == "Person"]
    assert "N. Abenov" in person.alt_labels


def test_an_initial_that_fits_two_people_joins_neither() -> None:
    resolved = corpus(*NURLAN, INITIAL, NADIR)
    assert labels(resolved, "Person") == ["N. Abenov", "Nadir Abenov", "Nurlan Abenov"]
