"""The pages in a real browser: Debian's chromium, headless, driven by selenium.

These tests need ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); without
them they fail rather than skip, so that a CI machine missing them is noticed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RunningServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    assert Path(CHROMEDRIVER).exists() and shutil.which("chromium"), (
        "chromium and chromedriver are needed: apt-get install chromium chromium-driver"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait(driver: webdriver.Chrome) -> WebDriverWait:
    return WebDriverWait(driver, 30)


def test_editor_runs_a_query_and_shows_rows(
    browser: webdriver.Chrome, server: RunningServer
) -> None:
    browser.get(server.url)
    assert "Shanghai Cooperation Organisation" in browser.title
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?name WHERE { ?state a <https://w3id.org/scokg/ontology#State> ; "
        "rdfs:label ?name } ORDER BY ?name"
    )
    browser.find_element(By.ID, "run").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.results tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert [row.text for row in rows] == [
        f"{name} @en" for name in ("China", "India", "Kazakhstan", "Pakistan", "Russia")
    ]
    assert "5 rows" in browser.find_element(By.ID, "status").text


def test_example_query_runs_with_one_click(
    browser: webdriver.Chrome, server: RunningServer
) -> None:
    browser.get(server.url)
    first = browser.find_elements(By.CSS_SELECTOR, "a.run-example")[0]
    first.click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.results tbody tr")))
    assert browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert browser.current_url.rstrip("/#editor") == server.url.rstrip("/")


def test_editor_shows_the_error_of_a_bad_query(
    browser: webdriver.Chrome, server: RunningServer
) -> None:
    browser.get(server.url)
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT * WHERE { ?s ?p }")
    browser.find_element(By.ID, "run").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#results .error")))
    assert "malformed query" in browser.find_element(By.CSS_SELECTOR, "#results .error").text


def test_resource_page_shows_a_source_sentence(
    browser: webdriver.Chrome, server: RunningServer
) -> None:
    browser.get(server.url + "resource/sco-convention-on-countering-extremism")
    assert browser.find_element(By.TAG_NAME, "h1").text == "SCO Convention on Countering Extremism"
    sentences = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "blockquote.sentence")]
    assert any(
        "Convention on Countering Extremism signed in Astana on 9 June 2017" in s for s in sentences
    )
    browser.find_element(By.LINK_TEXT, "Astana").click()
    wait(browser).until(ec.title_contains("Astana"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Astana"
