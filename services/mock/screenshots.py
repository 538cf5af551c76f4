"""python -m services.mock.screenshots OUT_DIR: the facilitator page in each scenario, as PNGs.

Starts a mock on a free loopback port, has Amira tell a few departments and
switches the research log on, then, for each scenario, presses its button on
the page in Debian's headless Chromium (``/usr/bin/chromium`` through
``/usr/bin/chromedriver``; nothing is downloaded) and saves
``OUT_DIR/facilitator-<scenario>.png`` at 1600 × 1000, a projector's width.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import shutil
import sys
import tempfile
import uuid

import requests

from exchange.personas import read_personas
from services.mock.scenarios import SCENARIOS
from services.mock.server import MockServer

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMEDRIVER = pathlib.Path("/usr/bin/chromedriver")
WINDOW = (1600, 1000)
TIMEOUT = 10


def browser(profile: pathlib.Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}"):
        options.add_argument(flag)
    # An explicit driver path: Selenium Manager never looks for, or downloads, anything.
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def seed(url: str, admin_key: str) -> None:
    """Amira tells five departments of a move; a few research events arrive."""
    personas = read_personas()
    amira = next(p for p in personas if p["username"] == "amira")
    token = requests.post(f"{url}/v1/auth/token", timeout=TIMEOUT, json={
        "grant_type": "password", "username": "amira", "password": amira["password"]}).json()["access_token"]
    catalogue = requests.get(f"{url}/v1/services", timeout=TIMEOUT).json()["services"]
    when = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=3)).isoformat()
    for service in catalogue:
        if "change_of_address" not in service["events"]:
            continue
        entitled = set(service["requires"]) | set(service["accepts"])
        body = {"event": "change_of_address", "effective_date": when,
                "person": {k: v for k, v in amira["person"].items() if k in entitled},
                "consent": {"given_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "statement": f"I agree to tell {service['name']} about my new address."}}
        response = requests.post(url + service["endpoint"], json=body, timeout=TIMEOUT, headers={
            "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())})
        response.raise_for_status()
    admin = {"Authorization": f"Bearer {admin_key}"}
    requests.put(f"{url}/admin/research", json={"enabled": True}, headers=admin, timeout=TIMEOUT).raise_for_status()
    session = uuid.uuid4().hex
    at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    events = [{"at": at, "session": session, "kind": "screen_change", "screen": screen}
              for screen in ("welcome", "home", "details", "change", "who_to_tell", "check", "progress")]
    requests.post(f"{url}/admin/research/events", json={"events": events}, headers=admin,
                  timeout=TIMEOUT).raise_for_status()


def capture(out_dir: pathlib.Path) -> list[pathlib.Path]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    profile = pathlib.Path(tempfile.mkdtemp(prefix="facilitator-shots-"))
    with MockServer(host="127.0.0.1", port=0) as mock:
        seed(mock.url, mock.admin_key)
        driver = browser(profile)
        try:
            driver.get(mock.facilitator_url)
            for scenario in SCENARIOS:
                # Press the scenario's button, as a facilitator would, and wait for the page to show it.
                driver.find_element(By.CSS_SELECTOR, f'button.scenario[data-scenario="{scenario.name}"]').click()
                WebDriverWait(driver, TIMEOUT, poll_frequency=0.1).until(lambda d, s=scenario: d.execute_script(
                    "var c = document.getElementById('controls');"
                    "return c.getAttribute('data-scenario') === arguments[0] && "
                    "document.getElementById('scenario-label').textContent === arguments[1] && "
                    "document.getElementById('control-status').textContent.indexOf('Scenario on') === 0;",
                    s.name, s.label))
                path = out_dir / f"facilitator-{scenario.name}.png"
                driver.save_screenshot(str(path))
                saved.append(path)
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.mock.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=pathlib.Path)
    args = parser.parse_args(argv)
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("Needs Debian's chromium and chromium-driver (scripts/system-packages installs them).", file=sys.stderr)
        return 1
    for path in capture(args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
