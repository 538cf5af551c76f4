"""The demo personas and the catalogue the mock serves."""

from __future__ import annotations

import json

import requests

from exchange.catalogue import CATALOGUE_FILE
from exchange.vocabulary import FIELDS, clean_person
from tests.mock.support import CATALOGUE, PERSONAS, ROOT, sign_in


def test_every_persona_passes_every_rule_of_the_vocabulary():
    for persona in PERSONAS:
        normalised, errors = clean_person(persona["person"])
        assert errors == [], (persona["username"], errors)
        assert normalised == persona["person"], "stored already normalised, as /v1/me returns it"
        assert set(persona["verified"]) <= set(persona["person"])


def test_amira_comes_first_with_every_field():
    amira = PERSONAS[0]
    assert (amira["username"], amira["password"]) == ("amira", "amira-demo-1")
    assert set(amira["person"]) == set(FIELDS)
    assert "scope" not in amira


def test_personas_vary_as_the_research_needs():
    people = {p["username"]: p["person"] for p in PERSONAS}
    assert len(people) >= 4
    welsh = ("CF", "SA", "LL", "NP", "SY", "LD")
    assert any(p["address"]["postcode"].startswith(welsh) for p in people.values())
    assert any("driving_licence_number" not in p for p in people.values())
    assert any(p["family_name"].count("-") >= 2 and len(p["family_name"]) > 30 for p in people.values())
    assert any(any(ord(c) > 127 for c in p["given_names"]) for p in people.values())


def test_personas_use_only_fictional_contact_details():
    for persona in PERSONAS:
        person = persona["person"]
        if "email" in person:
            assert person["email"].endswith("@example.com")
        if "phone" in person:  # Ofcom's ranges kept for drama
            assert person["phone"].startswith(("+447700900", "+441632960"))


def test_every_persona_can_sign_in_with_the_documented_password(url):
    readme = (ROOT / "services" / "mock" / "README.md").read_text(encoding="utf-8")
    for persona in PERSONAS:
        answer = sign_in(url, persona["username"])
        expected = " ".join(persona.get("scope") or [s["id"] for s in CATALOGUE["services"]])
        assert answer["scope"] == expected
        assert f"`{persona['username']}`" in readme and f"`{persona['password']}`" in readme


def test_the_catalogue_is_the_bundled_file(url):
    served = requests.get(f"{url}/v1/services", timeout=10)
    assert served.status_code == 200
    assert served.json() == json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert [s["id"] for s in served.json()["services"]] == ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]
