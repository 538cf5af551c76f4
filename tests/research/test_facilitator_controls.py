"""The facilitator's buttons in a real headless Chromium, and the screenshots of each scenario."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from services.mock import screenshots
from services.mock.scenarios import SCENARIOS
from tests.conftest import ADMIN_KEY
from tests.mock.support import notify, sign_in
from tests.research.conftest import admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (screenshots.CHROMIUM.exists() and screenshots.CHROMEDRIVER.exists()),
                       reason="Debian's chromium and chromium-driver are not installed"),
]


@pytest.fixture
def browser():
    profile = Path(tempfile.mkdtemp(prefix="facilitator-controls-"))
    driver = screenshots.browser(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_text(browser, element_id: str) -> str:
    # Read through JS: the page redraws on every change, which would make a found element stale.
    return browser.execute_script(f"return document.getElementById('{element_id}').textContent;")


def test_one_click_each_for_a_scenario_reset_and_the_research_log(browser, url) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 3, poll_frequency=0.1)
    token = sign_in(url)["access_token"]
    reference = notify(url, token, "hmrc").json()["reference"]
    browser.get(f"{url}/?key={ADMIN_KEY}")
    assert page_text(browser, "scenario-label") == "All healthy"

    browser.find_element(By.CSS_SELECTOR, 'button.scenario[data-scenario="dvla_down"]').click()
    wait.until(lambda b: page_text(b, "scenario-label") == "DVLA down")
    assert admin(url, "GET", "/admin/demo").json()["scenario"] == "dvla_down"
    assert "down (503)" in page_text(browser, "service-dvla")
    pressed = browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('button.scenario[aria-pressed=true]'),"
        " function (b) { return b.getAttribute('data-scenario'); });")
    assert pressed == ["dvla_down"]

    # A scenario switched on elsewhere (curl, a test) shows up by itself.
    admin(url, "PUT", "/admin/scenario", json={"name": "slow_3s"})
    wait.until(lambda b: page_text(b, "scenario-label") == "Everything slow (3 s)")

    browser.find_element(By.ID, "research-toggle").click()
    wait.until(lambda b: page_text(b, "research-state") == "on")
    assert admin(url, "GET", "/admin/research").json()["enabled"] is True
    assert browser.find_element(By.ID, "research-export").get_attribute("href") == url + "/admin/research.csv"

    assert reference in page_text(browser, "service-hmrc")
    browser.find_element(By.ID, "reset-demo").click()
    wait.until(lambda b: page_text(b, "scenario-label") == "All healthy")
    wait.until(lambda b: reference not in page_text(b, "service-hmrc"))
    status = admin(url, "GET", "/admin/demo").json()
    assert status["generation"] == 1 and status["scenario"] == "healthy"
    assert status["research_log"] is True  # the facilitator's switch stays as it was


def test_screenshots_of_the_page_in_each_scenario(tmp_path: Path) -> None:
    saved = screenshots.capture(tmp_path)
    assert [path.name for path in saved] == [f"facilitator-{s.name}.png" for s in SCENARIOS]
    for path in saved:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
