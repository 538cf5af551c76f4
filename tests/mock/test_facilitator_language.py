"""The facilitator page in the facilitator's language (?lang=cy), from the app's own catalogues; the JSON
API stays English."""

from __future__ import annotations

import json
import re

import requests

from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import notify


def test_the_page_and_its_feed_in_welsh_and_german(url, token) -> None:
    response = notify(url, token, "hmrc")
    assert response.ok, response.text
    page = requests.get(f"{url}/?lang=cy&key={ADMIN_KEY}", timeout=10).text
    assert '<html lang="cy">' in page
    assert "<h1>Beth gafodd pob adran</h1>" in page and "Ailosod y demo" in page
    assert "Enwau cyntaf" in page  # the fields each department received, as the app names them
    words = json.loads(re.search(r'data-words="([^"]*)"', page).group(1).replace("&#34;", '"'))
    assert words["nothing"] == "Dim wedi dod i law eto"  # what the page's script writes itself
    feed = requests.get(f"{url}/admin/changes?since=&lang=de", headers=ADMIN, timeout=10).json()["snapshot"]
    hmrc = next(s for s in feed["services"] if s["id"] == "hmrc")
    assert hmrc["records"][0]["event_label"] in ("Adressänderung", "Profil geteilt", "Namensänderung",
                                                 "Änderung der Kontaktdaten")
    assert feed["demo"]["scenario_label"] == "Alles in Ordnung"
    answer = requests.get(f"{url}/admin/demo", headers=ADMIN, timeout=10).json()
    assert answer["scenario_label"] == "All healthy"  # the API
    assert '<html lang="en">' in requests.get(f"{url}/?lang=xx&key={ADMIN_KEY}", timeout=10).text  # unknown: English
