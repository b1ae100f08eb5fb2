"""One test sentence per extraction rule, with names no list knows.

Each case runs the whole extractor on a short text and checks the entities and facts the
rule is there to find. People, posts, events and instruments are invented, so a case can
only pass by the shape of the text.
"""

from __future__ import annotations

import pytest

from scokg.extract.document import extract_text
from scokg.extract.model import DocumentExtraction


def run(text: str, doc_id: str = "2031-05-20-test") -> DocumentExtraction:
    return extract_text(text, doc_id)


def names(doc: DocumentExtraction, typ: str) -> set[str]:
    return {n for e in doc.entities.values() if e.type == typ for n in e.names}


def label(doc: DocumentExtraction, local_id: str) -> str:
    return doc.entities[local_id].names[0] if doc.entities[local_id].names else local_id


def facts(doc: DocumentExtraction, kind: str) -> set[tuple[str, str]]:
    """(subject name, object name or value) of every fact of a kind."""
    out = set()
    for f in doc.facts:
        if f.kind != kind:
            continue
        obj = label(doc, f.object) if f.object in doc.entities else f.object
        out.add((label(doc, f.subject), obj))
    return out


def positions(doc: DocumentExtraction) -> set[tuple[str, str, str]]:
    return {
        (label(doc, f.subject), f.title or "", label(doc, f.object))
        for f in doc.facts
        if f.kind == "position"
    }


# -- people and posts ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "person", "title", "holder"),
    [
        # TITLE of HOLDER NAME
        (
            "President of the Republic of Kazakhstan Arman Dzhaksybekov met the press.",
            "Arman Dzhaksybekov",
            "President",
            "Republic of Kazakhstan",
        ),
        # demonym TITLE NAME
        ("Russian President Gleb Vorontsov arrived.", "Gleb Vorontsov", "President", "Russia"),
        # ORG TITLE NAME
        ("SCO Secretary-General Ilhom Yusupov spoke.", "Ilhom Yusupov", "Secretary-General", "SCO"),
        # NAME, TITLE of HOLDER
        (
            "Zhao Mingyu, Vice Premier of the State Council of China, spoke.",
            "Zhao Mingyu",
            "Vice Premier",
            "State Council of China",
        ),
        # TITLE of HOLDER, NAME,
        (
            "The President of Mongolia, Batbayar Ganzorig, attended.",
            "Batbayar Ganzorig",
            "President",
            "Mongolia",
        ),
        # portfolio kept in the title
        (
            "Minister of Foreign Affairs of the Republic of Tajikistan Farhod Rahimzoda spoke.",
            "Farhod Rahimzoda",
            "Minister of Foreign Affairs",
            "Republic of Tajikistan",
        ),
        # possessive holder
        (
            "Kyrgyzstan's Prime Minister Talant Osmonov spoke.",
            "Talant Osmonov",
            "Prime Minister",
            "Kyrgyzstan",
        ),
        # title prefix and a rank between post and name
        (
            "First Deputy Minister of Defence of Belarus Major General Pavel Stasevich spoke.",
            "Pavel Stasevich",
            "First Deputy Minister of Defence",
            "Belarus",
        ),
        # initials
        (
            "President of the Kyrgyz Republic K. Almazov opened the session.",
            "K. Almazov",
            "President",
            "Kyrgyz Republic",
        ),
    ],
)
def test_person_and_post(text: str, person: str, title: str, holder: str) -> None:
    doc = run(text)
    assert person in names(doc, "Person")
    assert (person, title) in {(p, t) for p, t, _ in positions(doc)}
    held = {h for p, t, h in positions(doc) if p == person and t == title}
    assert held and (
        holder in held
        or any(holder in n for n in held)
        or holder.lower() in {h.lower() for h in held}
    ), held


def test_two_posts_before_one_name() -> None:
    doc = run(
        "Also present was Chairman of the Executive Committee and Executive Secretary of the "
        "Commonwealth of Independent States Oleg Berezin."
    )
    titles = {t for p, t, _ in positions(doc) if p == "Oleg Berezin"}
    assert titles == {"Chairman", "Executive Secretary"}
    assert "Executive Committee of the Commonwealth of Independent States" in names(
        doc, "Organisation"
    )


def test_post_of_a_sub_body() -> None:
    doc = run(
        "Director of the Executive Committee of the SCO Regional Anti-Terrorist Structure "
        "(RATS), Kamol Nurmatov, took part in the meeting."
    )
    assert ("Kamol Nurmatov", "Director") in {(p, t) for p, t, _ in positions(doc)}


def test_same_person_under_initials_and_variant_spelling() -> None:
    doc = run(
        "President of the Republic of Uzbekistan Rustam Khodjaev chaired the meeting. "
        "R. Khodjaev thanked the guests. President Rustam Khodzhaev closed the session."
    )
    people = [e for e in doc.entities.values() if e.type == "Person"]
    assert len(people) == 1


# -- meetings, attendance, chair -------------------------------------------------------------
PRESS = (
    "The meeting of the Council of Heads of State of the Shanghai Cooperation Organisation "
    "was held on 14-15 September 2031 in Termez. The meeting was chaired by the President of "
    "the Republic of Uzbekistan, Dilshod Karimov. Taking part were Chinese President Wei "
    "Zhongshan and Prime Minister of India Arvind Mehra."
)


def test_meeting_dates_place_chair_participants() -> None:
    doc = run(PRESS)
    (event,) = [e for e in doc.entities.values() if e.type == "Event"]
    assert event.meeting
    ev = event.names[0]
    assert (ev, "2031-09-14") in facts(doc, "startDate")
    assert (ev, "2031-09-15") in facts(doc, "endDate")
    assert (ev, "Termez") in facts(doc, "location")
    assert (ev, "Dilshod Karimov") in facts(doc, "chair")
    assert {(ev, "Wei Zhongshan"), (ev, "Arvind Mehra")} <= facts(doc, "participant")


def test_event_list_entry_with_two_dates_and_two_places_is_two_events() -> None:
    doc = run(
        "During the chairmanship the following events were held: the Council of National "
        "Coordinators meetings (3 March 2031, Osh and 9 May 2031, Naryn), the Youth Forum "
        "(June — August 2031, Astana, Almaty, Shymkent)."
    )
    coordinators = [
        e for e in doc.entities.values() if e.type == "Event" and "Coordinators" in e.names[0]
    ]
    assert len(coordinators) == 2
    forum = next(
        e for e in doc.entities.values() if e.type == "Event" and "Youth Forum" in e.names[0]
    )
    places = {o for s, o in facts(doc, "location") if s == forum.names[0]}
    assert places == {"Astana", "Almaty", "Shymkent"}
    assert (forum.names[0], "2031-06") in facts(doc, "startDate")
    assert (forum.names[0], "2031-08") in facts(doc, "endDate")


def test_quoted_exercise_and_date_across_a_page_break() -> None:
    doc = run('The joint exercises "Frontier Shield 2031" (28-30\n\nOctober 2031, Darkhan) ended.')
    assert "Frontier Shield 2031" in names(doc, "Event")
    assert ("Frontier Shield 2031", "2031-10-28") in facts(doc, "startDate")
    assert ("Frontier Shield 2031", "Darkhan") in facts(doc, "location")


def test_next_meeting_is_another_event() -> None:
    doc = run(
        PRESS + " The next meeting of the Council of Heads of State will be held in June "
        "2032 in the Islamic Republic of Pakistan."
    )
    events = [e for e in doc.entities.values() if e.type == "Event"]
    assert len(events) == 2
    assert any(d == "2032-06" for _, d in facts(doc, "startDate"))


# -- statuses --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "state"),
    [
        (
            "The Council decided to grant the Kingdom of Bahrain the status of SCO dialogue "
            "partner.",
            "dialoguePartnerOf",
            "Kingdom of Bahrain",
        ),
        (
            "The heads of state welcomed the accession of the Republic of Belarus to the SCO.",
            "memberOf",
            "Republic of Belarus",
        ),
        (
            "The leaders of the SCO observer states, the President of Mongolia, Batbayar Ganzorig, "
            "also took part.",
            "observerOf",
            "Mongolia",
        ),
        (
            "The heads of state decided on granting full SCO membership to the Islamic "
            "Republic of Iran.",
            "memberOf",
            "Islamic Republic of Iran",
        ),
        (
            "The member states welcome the election of the Republic of Tajikistan as a "
            "non-permanent member of the UN Security Council.",
            "memberOf",
            "Republic of Tajikistan",
        ),
    ],
)
def test_status(text: str, kind: str, state: str) -> None:
    doc = run("The Shanghai Cooperation Organisation (SCO) met. " + text)
    assert state in {s for s, _ in facts(doc, kind)}


def test_status_only_asked_for_is_no_status() -> None:
    doc = run(
        "The Shanghai Cooperation Organisation (SCO) met. The heads of state noted the "
        "start of the procedure for the admission of the Kingdom of Cambodia as a member state."
    )
    assert not facts(doc, "memberOf")


# -- instruments -----------------------------------------------------------------------------
def test_signed_on_a_date_in_a_city_at_the_meeting() -> None:
    doc = run(
        PRESS + " The SCO Convention on Countering Cyber Fraud, signed on 15 September "
        "2031 in Termez, will enter into force next year."
    )
    name = "SCO Convention on Countering Cyber Fraud"
    assert name in names(doc, "Instrument")
    assert (name, "2031-09-15") in facts(doc, "signingDate")
    assert (name, "Termez") in facts(doc, "signingPlace")
    assert name in {s for s, _ in facts(doc, "adoptedAt")}


def test_lower_case_instrument_with_its_year() -> None:
    doc = run(
        "The member states implement the 2027 agreement on cooperation in veterinary "
        "medicine and other documents."
    )
    assert "2027 agreement on cooperation in veterinary medicine" in names(doc, "Instrument")
    assert ("2027 agreement on cooperation in veterinary medicine", "2027") in facts(
        doc, "signingDate"
    )


def test_numbered_resolutions_are_one_instrument_each() -> None:
    doc = run(
        "They called for the implementation of UN Security Council resolutions 2401 and 2417."
    )
    assert {"UN Security Council resolution 2401", "UN Security Council resolution 2417"} <= names(
        doc, "Instrument"
    )


def test_abbreviation_defined_in_parentheses_is_the_same_entity() -> None:
    doc = run("The Eurasian Council for Water Security (ECWS) met. The ECWS adopted a plan.")
    orgs = [e for e in doc.entities.values() if e.type == "Organisation"]
    assert len(orgs) == 1 and {"Eurasian Council for Water Security", "ECWS"} <= set(orgs[0].names)


def test_city_inside_a_name_is_no_city() -> None:
    doc = run("The member states support the Tashkent process and the Shanghai spirit.")
    assert not names(doc, "City")


# -- stances ---------------------------------------------------------------------------------
def test_stances_of_the_member_states() -> None:
    doc = run(
        "The Shanghai Cooperation Organisation (SCO) met. The member states welcomed the "
        "Caspian Energy Forum and condemned the attack on the Termez Power Plant Committee."
    )
    attitudes = {(s.attitude, label(doc, s.target)) for s in doc.stances}
    assert ("welcome", "Caspian Energy Forum") in attitudes
    assert any(a == "condemn" for a, _ in attitudes)
