"""A page from another origin, open in the facilitator's own browser, can neither change nor read the mock.

Issue 12, finding 4: a page elsewhere reset the demo and added a research
event through the facilitator's browser (``fetch(..., {mode: "no-cors"})``).
Here the facilitator's page is open with its key in one tab of a real
headless Chromium, and a page served from another loopback origin tries
everything a web page can: no-cors POSTs, a CORS read, a guessed Bearer key,
plain form posts, and framing the facilitator page. Nothing changes at the
mock and nothing is read.
"""

from __future__ import annotations

import http.server
import json
import threading

import pytest
import requests

from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import notify, set_faults, stored_count
from tests.mock.test_facilitator_page import CHROMIUM, browser  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

ATTACK = """<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title></head><body>
<iframe id="frame" name="sink"></iframe>
<form id="reset-form" method="post" action="MOCK/admin/reset" target="sink"></form>
<form id="scenario-form" method="post" action="MOCK/admin/scenario" target="sink" enctype="text/plain">
  <input name='{"name": "dvla_down", "x": "' value='"}'></form>
<script>
window.results = {};
var mock = "MOCK";
function note(name, promise) {
  return promise.then(function (r) {
    if (r.type === "opaque") { return "opaque"; }
    return r.text().then(function (body) { return "read " + r.status + " " + body.slice(0, 200); });
  }, function (e) { return "blocked " + e.name; }).then(function (what) { window.results[name] = what; });
}
var event = JSON.stringify({events: [{at: "2026-11-27T10:02:11.250Z", session: "0123456789abcdef0123456789abcdef",
                                      kind: "screen_change", screen: "home"}]});
Promise.all([
  note("no_cors_reset", fetch(mock + "/admin/reset", {method: "POST", mode: "no-cors"})),
  note("no_cors_event", fetch(mock + "/admin/research/events",
                              {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: event})),
  note("no_cors_scenario", fetch(mock + "/admin/scenario",
                                 {method: "PUT", mode: "no-cors", body: JSON.stringify({name: "dvla_down"})})),
  note("no_cors_faults", fetch(mock + "/admin/faults", {method: "DELETE", mode: "no-cors"})),
  note("cors_inbox", fetch(mock + "/admin/inbox", {credentials: "include"})),
  note("cors_inbox_guessed_key", fetch(mock + "/admin/inbox", {headers: {Authorization: "Bearer guess"}})),
  note("cors_changes", fetch(mock + "/admin/changes")),
  note("cors_csv", fetch(mock + "/admin/research.csv")),
  note("cors_page", fetch(mock + "/", {credentials: "include"})),
  note("no_cors_inbox", fetch(mock + "/admin/inbox", {mode: "no-cors"})),
]).then(function () {
  document.getElementById("reset-form").submit();
  window.setTimeout(function () {
    document.getElementById("scenario-form").submit();
    window.setTimeout(function () {
      var frame = document.getElementById("frame");
      try { window.results.frame_read = "read " + frame.contentDocument.body.textContent.slice(0, 200); }
      catch (e) { window.results.frame_read = "blocked " + e.name; }
      window.results.done = true;
    }, 700);
  }, 700);
});
</script></body></html>"""


class _Elsewhere(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *_args):
        pass


def _state(url: str) -> dict:
    return {
        "stored": stored_count(url),
        "demo": requests.get(f"{url}/admin/demo", headers=ADMIN, timeout=10).json(),
        "faults": requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json(),
        "research": requests.get(f"{url}/admin/research", headers=ADMIN, timeout=10).json(),
    }


def test_a_page_from_another_origin_changes_nothing_and_reads_nothing(browser, url, token):  # noqa: F811
    from selenium.webdriver.support.ui import WebDriverWait

    reference = notify(url, token, "hmrc").json()["reference"]
    set_faults(url, "nhs", latency_ms=5)
    requests.put(f"{url}/admin/research", json={"enabled": True}, headers=ADMIN, timeout=10).raise_for_status()
    before = _state(url)

    # The facilitator's page, opened with its key: the key leaves the address bar and works from sessionStorage.
    browser.get(f"{url}/?key={ADMIN_KEY}")
    assert ADMIN_KEY not in browser.current_url
    assert browser.execute_script("return window.sessionStorage.getItem('mock-gov-facilitator-key');") == ADMIN_KEY
    WebDriverWait(browser, 5, poll_frequency=0.1).until(
        lambda b: b.execute_script("return document.getElementById('status').className;") == "")
    facilitator_tab = browser.current_window_handle

    _Elsewhere.page = ATTACK.replace("MOCK", url).encode()
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    serving = threading.Thread(target=elsewhere.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    try:
        browser.switch_to.new_window("tab")
        browser.get(f"http://127.0.0.1:{elsewhere.server_address[1]}/")
        WebDriverWait(browser, 15, poll_frequency=0.1).until(lambda b: b.execute_script(
            "return window.results && window.results.done === true;"))
        results = browser.execute_script("return window.results;")
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()
        serving.join(5)

    # Nothing read: every cross-origin read failed or was opaque.
    for name, outcome in results.items():
        if name == "done":
            continue
        assert outcome == "opaque" or outcome.startswith("blocked"), (name, outcome)
        assert reference not in outcome and ADMIN_KEY not in outcome
    # Nothing changed: the record, the fault, the log (on, and empty), the generation, the scenario.
    assert _state(url) == before
    assert before["research"] == {"enabled": True, "events": 0}

    # And the facilitator's own page still works with its key, in the same browser.
    browser.switch_to.window(facilitator_tab)
    browser.find_element("id", "reset-demo").click()
    WebDriverWait(browser, 5, poll_frequency=0.1).until(lambda _b: stored_count(url) == 0)
    assert requests.get(f"{url}/admin/demo", headers=ADMIN, timeout=10).json()["generation"] == 1
    assert json.dumps(results)  # what the other page saw, for the report on failure


def test_the_key_stays_in_the_tab_and_out_of_every_address(browser, url, token):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    reference = notify(url, token, "hmrc").json()["reference"]
    browser.get(f"{url}/?key={ADMIN_KEY}")
    assert browser.current_url == f"{url}/"
    # A language link leads to the key form, which goes straight back with the key this tab holds.
    browser.find_element(By.CSS_SELECTOR, 'a[lang="cy"]').click()
    wait = WebDriverWait(browser, 5, poll_frequency=0.1)
    wait.until(lambda b: b.execute_script("return document.documentElement.lang;") == "cy"
               and b.find_elements(By.ID, "services"))
    assert ADMIN_KEY not in browser.current_url and "lang=cy" in browser.current_url
    assert reference in browser.find_element(By.ID, "service-hmrc").text
    # The page's own calls carried the key as a header: it stays live.
    second = notify(url, token, "hmrc").json()["reference"]
    wait.until(lambda b: second in b.execute_script("return document.getElementById('service-hmrc').textContent;"))
    # Every address the browser fetched for the page: none holds the key.
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert fetched and not [name for name in fetched if ADMIN_KEY in name]
    # A wrong key in the address: the form says so, and the tab forgets the key it had.
    browser.get(f"{url}/?key=wrong")
    assert "The facilitator key is not right" in browser.page_source
    assert browser.execute_script("return window.sessionStorage.getItem('mock-gov-facilitator-key');") is None
