"""HTML pages and Linked Data: home, resources, ontology, shapes (through the app's client)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import requests
from conftest import RunningServer
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef

from scokg.server.pages import examples

RES = "https://w3id.org/scokg/resource/"
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements whose end tag HTML lets a page leave out; the pages close them anyway.


class PageChecker(HTMLParser):
    """Structural checks of an HTML5 page: nesting, ids, references, headings, language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.references: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        for name in ("for", "aria-labelledby"):
            if attributes.get(name):
                self.references.extend((attributes[name] or "").split())
        href = attributes.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            self.references.append(href[1:])
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(html: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(html)
    checker.close()
    assert checker.doctype, "no <!doctype html>"
    assert not checker.problems, checker.problems
    assert not checker.stack, f"unclosed: {checker.stack}"
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    missing = set(checker.references) - set(checker.ids)
    assert not missing, f"references to missing ids: {missing}"
    html_tag = next(attrs for tag, attrs in checker.tags if tag == "html")
    assert html_tag.get("lang") == "en"
    assert sum(1 for tag, _ in checker.tags if tag == "h1") == 1
    assert any(tag == "main" for tag, _ in checker.tags)
    assert not any(tag == "script" and "src" not in attrs for tag, attrs in checker.tags)
    return checker


def links(checker: PageChecker) -> list[str]:
    return [attrs.get("href") or "" for tag, attrs in checker.tags if tag == "a"]


# -- home ------------------------------------------------------------------------------------


def test_home_page(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    page = check_page(response.get_data(as_text=True))
    text = " ".join(page.text)
    assert "Source documents" in text and "Entities" in text and "Triples" in text
    hrefs = links(page)
    for target in ("/dump.ttl", "/dump.nt.gz", "/dump.nq.gz", "/void", "/ontology", "/shapes"):
        assert target in hrefs
    runs = [h for h in hrefs if h.startswith("/sparql?query=")]
    assert len(runs) == 5
    assert any(tag == "textarea" for tag, _ in page.tags)
    scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script"]
    assert scripts == ["/static/editor.js"]


def test_static_files_are_served_locally(client: FlaskClient) -> None:
    for name, media in (("editor.js", "text/javascript"), ("style.css", "text/css")):
        with client.get("/static/" + name) as response:
            assert response.status_code == 200
            assert response.mimetype == media


def test_five_examples_each_with_a_question() -> None:
    found = examples()
    assert len(found) == 5
    for example in found:
        assert example.question.endswith("?"), example.name
        assert example.query.startswith("# ")


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.name)
def test_example_queries_answer_on_the_graph(server: RunningServer, example) -> None:
    response = requests.post(
        server.sparql,
        data={"query": example.query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert rows, f"{example.name} found nothing"
    assert all(all(term["value"] for term in row.values()) for row in rows)


# -- resources -------------------------------------------------------------------------------


def test_resource_page_shows_facts_with_their_sentences(client: FlaskClient) -> None:
    response = client.get(
        "/resource/sco-heads-of-state-council-meeting-2017-06-08",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    page = check_page(html)
    text = " ".join(" ".join(page.text).split())
    assert "SCO Heads of State Council Meeting" in text
    assert "President of the Republic of Kazakhstan N. Nazarbayev chaired the meeting." in text
    hrefs = links(page)
    assert "/resource/nursultan-nazarbayev" in hrefs
    assert "/resource/astana" in hrefs
    assert "/resource/document/2017-06-09-astana-summit-press-release#char=650,724" in hrefs
    assert "/ontology#participant" in hrefs
    # The same fact from two documents: both sentences are shown.
    assert "in Astana on 9 June 2017 declare the following." in text
    assert "was held on 8-9 June 2017 in Astana." in text


def test_resource_page_has_label_types_wikidata_and_incoming_links(client: FlaskClient) -> None:
    response = client.get("/resource/vladimir-putin")
    page = check_page(response.get_data(as_text=True))
    text = " ".join(" ".join(page.text).split())
    assert "<h1>Vladimir Putin</h1>" in response.get_data(as_text=True)
    assert "person" in text  # the type, by its ontology label
    hrefs = links(page)
    assert "http://www.wikidata.org/entity/Q7747" in hrefs
    assert "/resource/sco-heads-of-state-council-meeting-2017-06-08" in hrefs  # incoming
    assert "/resource/president-of-russia" in hrefs  # outgoing


def test_document_page_lists_its_sentences_with_anchors(client: FlaskClient) -> None:
    response = client.get("/resource/document/2017-06-09-astana-summit-press-release")
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert "char=650,724" in page.ids
    assert "char=1920,2123" in page.ids


def test_resource_page_escapes_what_it_prints(client: FlaskClient) -> None:
    response = client.get("/resource/sco-energy-club")
    html = response.get_data(as_text=True)
    check_page(html)
    assert "<b>Energy Club</b>" not in html
    assert "&lt;b&gt;Energy Club&lt;/b&gt; &amp; &#34;friends&#34;" in html


@pytest.mark.parametrize(
    ("accept", "content_type", "rdf"),
    [
        ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_resource_as_rdf(client: FlaskClient, accept: str, content_type: str, rdf) -> None:
    response = client.get("/resource/kazakhstan", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.content_type == content_type
    assert response.headers["Vary"] == "Accept"
    triples = {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in ox.parse(response.get_data(), format=rdf)
    }
    kazakhstan = f"<{RES}kazakhstan>"
    assert (
        kazakhstan,
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        '"Kazakhstan"@en',
    ) in triples
    assert (f"<{RES}astana>", "<https://w3id.org/scokg/ontology#locatedIn>", kazakhstan) in triples


def test_resource_over_http_is_linked_data(server: RunningServer) -> None:
    response = requests.get(
        server.url + "resource/india", headers={"Accept": "text/turtle"}, timeout=30
    )
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(RES + "india"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("India", lang="en")) in graph  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/resource/no-such-thing", "/resource/document/nothing", "/resource/a%20b"]
)
def test_unknown_resource_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))
    plain = client.get(path, headers={"Accept": "text/turtle"})
    assert plain.status_code == 404
    assert plain.content_type == "text/plain; charset=utf-8"


# -- ontology and shapes ---------------------------------------------------------------------


@pytest.mark.parametrize(("path", "term"), [("/ontology", "participant"), ("/shapes", "Labelled")])
def test_vocabulary_pages_by_accept(client: FlaskClient, path: str, term: str) -> None:
    html = client.get(path, headers={"Accept": "text/html"})
    assert html.content_type == "text/html; charset=utf-8"
    page = check_page(html.get_data(as_text=True))
    assert term in page.ids
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.content_type == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert len(graph) > 50
    default = client.get(path, headers={"Accept": "*/*"})
    assert default.content_type == "text/html; charset=utf-8"
    again = client.get(
        path, headers={"Accept": "text/turtle", "If-None-Match": turtle.headers["ETag"]}
    )
    assert again.status_code == 304


def test_ontology_page_shows_labels_and_relations(client: FlaskClient) -> None:
    html = client.get("/ontology").get_data(as_text=True)
    assert re.search(r'id="State".*subclass of', html, re.DOTALL)
    assert 'href="/ontology#Actor"' in html
