"""GET /v1/addresses (CONTRACT section 7) on the real mock, over HTTP: no sign-in needed."""

from __future__ import annotations

import json

import pytest
import requests

from exchange.personas import read_personas
from exchange.vocabulary import POSTCODE_RE, clean_person
from services.mock.routes.addresses import ADDRESSES

PERSONAS = read_personas()


def test_a_postcode_in_any_spelling_gives_its_addresses_normalised(url) -> None:
    response = requests.get(f"{url}/v1/addresses", params={"postcode": "ls6 2ab"}, timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "LS6 2AB"
    assert {"line1": "14 Rosebank Road", "town": "Leeds", "postcode": "LS6 2AB"} in body["addresses"]
    for address in body["addresses"]:
        assert clean_person({"address": address}, required=())[1] == []


@pytest.mark.parametrize("postcode", ["nonsense", "LS99 ZZZZ", "12345", "Q1 1AA", "LS6 2AB" * 4])
def test_a_postcode_in_the_wrong_format_is_422_naming_postcode(url, postcode: str) -> None:
    response = requests.get(f"{url}/v1/addresses", params={"postcode": postcode}, timeout=5)
    assert response.status_code == 422
    assert response.json() == {"error": "validation_failed", "errors": [
        {"field": "postcode", "message": "Enter a real UK postcode, like SW1A 2AA"}]}


def test_no_postcode_at_all_is_422_too(url) -> None:
    response = requests.get(f"{url}/v1/addresses", timeout=5)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "postcode"


def test_a_postcode_nobody_lives_at_is_an_empty_list(url) -> None:
    response = requests.get(f"{url}/v1/addresses?postcode=ZE1%200AA", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"postcode": "ZE1 0AA", "addresses": []}


def test_thirty_postcodes_across_the_four_nations_every_personas_among_them() -> None:
    postcodes = json.loads(ADDRESSES.read_text())["postcodes"]
    assert len(postcodes) >= 30
    assert all(POSTCODE_RE.match(p) for p in postcodes)
    areas = {p.split()[0].rstrip("0123456789") for p in postcodes}
    assert {"LS", "M", "E"} <= areas  # England
    assert {"CF", "SA", "LL"} <= areas  # Wales
    assert {"EH", "G", "AB"} <= areas  # Scotland
    assert {"BT"} <= areas  # Northern Ireland
    for persona in PERSONAS:
        address = persona["person"]["address"]
        doors = [(line1, line2 or None, town) for line1, line2, town in postcodes[address["postcode"]]]
        assert (address["line1"], address.get("line2"), address["town"]) in doors, persona["username"]
