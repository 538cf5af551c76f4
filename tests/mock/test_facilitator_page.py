"""The facilitator page in a real headless Chromium: records appear by themselves, no reload."""

from __future__ import annotations

import pathlib
import shutil
import tempfile

import pytest
import requests

from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import AMIRA, notify, set_faults

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMEDRIVER = pathlib.Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mock-gov-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1600,1000"):
        options.add_argument(flag)
    # An explicit driver path: Selenium Manager never looks for, or downloads, anything.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_a_record_posted_after_the_page_loaded_appears_without_a_reload(browser, url, token):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{url}/?key={ADMIN_KEY}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "What each department received"
    sections = browser.find_elements(By.CSS_SELECTOR, "section.service")
    shown = [s.get_attribute("data-service") for s in sections]
    assert shown == ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]
    browser.execute_script("window.notReloaded = true;")

    reference = notify(url, token, "hmrc").json()["reference"]
    selector = f'#service-hmrc .record[data-reference="{reference}"]'
    # Within two seconds of arriving, the record is on the page.
    wait = WebDriverWait(browser, 2.5, poll_frequency=0.1)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, selector))
    assert browser.execute_script("return window.notReloaded === true;")
    text = browser.find_element(By.CSS_SELECTOR, selector).text
    assert reference in text and "change of address" in text
    for label in ("Given names", "Family name", "Date of birth", "National Insurance number", "Address"):
        assert label in text
    # A projector is public: the identifier is masked, never shown whole.
    assert AMIRA["nino"] not in browser.page_source
    assert AMIRA["nino"][-2:] in text

    # Newest first.
    second = notify(url, token, "hmrc").json()["reference"]
    WebDriverWait(browser, 2.5, poll_frequency=0.1).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, f'#service-hmrc .record[data-reference="{second}"]'))
    order = [li.get_attribute("data-reference")
             for li in browser.find_elements(By.CSS_SELECTOR, "#service-hmrc .record")]
    assert order == [second, reference]


def test_faults_switched_on_show_on_the_page(browser, url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{url}/?key={ADMIN_KEY}")
    set_faults(url, "dvla", down=True)
    # Read through JS: the page redraws every change, which would make a found element stale.
    WebDriverWait(browser, 2.5, poll_frequency=0.1).until(lambda b: "down (503)" in b.execute_script(
        "return document.getElementById('service-dvla').textContent;"))
    requests.delete(f"{url}/admin/faults", headers=ADMIN, timeout=10)
    WebDriverWait(browser, 2.5, poll_frequency=0.1).until(
        lambda b: not b.find_elements(By.CSS_SELECTOR, "#service-dvla .fault"))


def test_the_page_loads_nothing_from_anywhere_else(browser, url):
    browser.get(f"{url}/?key={ADMIN_KEY}")
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
    assert resources, "the stylesheet and script should have loaded"
    assert all(name.startswith(url + "/") for name in resources), resources
    response = requests.get(f"{url}/?key={ADMIN_KEY}", timeout=10)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
