"""CONTRACT section 8 against the mock over real HTTP: the register, the death notification, already_reported."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from exchange.personas import REGISTRATIONS_FILE
from tests.conftest import ADMIN
from tests.mock.support import CATALOGUE, ROOT, notify, sign_in

REGISTRATIONS = json.loads(REGISTRATIONS_FILE.read_text(encoding="utf-8"))
YUSUF = REGISTRATIONS[0]
REFERENCE = YUSUF["reference"]
SERVICES = {entry["id"]: entry for entry in CATALOGUE["services"]}


def admin(mock, method: str, path: str, **kwargs) -> requests.Response:
    """The tester's controls, with the facilitator key when this mock has one."""
    key = getattr(mock, "admin_key", None)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.request(method, mock.url + path, headers=headers, timeout=10, **kwargs)


def death_body(service: str, registration: str = REFERENCE, **changes) -> dict:
    entry = SERVICES[service]["death"]
    entitled = set(entry["requires"]) | set(entry["accepts"])
    deceased = {**YUSUF["deceased"], **YUSUF["documents"]}
    body = {
        "event": "death", "registration": registration, "date_of_death": YUSUF["date_of_death"],
        "deceased": {k: v for k, v in deceased.items() if k in entitled},
        "informant": {"given_names": "Amira", "family_name": "Haddad", "relationship": "child",
                      "email": "amira.haddad@example.com"},
        "consent": {"given_at": "2026-11-27T10:02:11Z", "statement": "I agree to tell them."},
    }
    body.update(changes)
    return body


def changed(body: dict, part: str, name: str, value) -> dict:
    """``body`` with one field of ``part`` set to ``value``, or left out when ``value`` is None."""
    if value is None:
        del body[part][name]
    else:
        body[part][name] = value
    return body


def fields_named(response: requests.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


def test_the_catalogue_says_what_each_service_needs_of_the_deceased(url) -> None:
    served = {s["id"]: s for s in requests.get(url + "/v1/services", timeout=10).json()["services"]}
    expected = {
        "hmrc": (["given_names", "family_name", "date_of_birth", "nino"], ["address"]),
        "dwp": (["given_names", "family_name", "date_of_birth", "nino"], ["address"]),
        "dvla": (["given_names", "family_name", "date_of_birth", "driving_licence_number"], ["address"]),
        "hmpo": (["given_names", "family_name", "date_of_birth", "passport_number"], []),
        "council": (["given_names", "family_name", "address"], ["date_of_birth"]),
        "nhs": (["given_names", "family_name", "date_of_birth", "nhs_number"], ["address"]),
    }
    for service, (requires, accepts) in expected.items():
        assert "death" in served[service]["events"]
        assert served[service]["death"] == {"requires": requires, "accepts": accepts}


def test_every_persona_has_a_registration_the_register_answers(url) -> None:
    assert {entry["persona"] for entry in REGISTRATIONS} >= {"amira", "rhys", "renee", "kwame", "sam"}
    for entry in REGISTRATIONS:
        token = sign_in(url, entry["persona"])["access_token"]
        answer = requests.get(f"{url}/v1/registrations/{entry['reference']}", timeout=10,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        body = answer.json()
        assert set(body) == {"reference", "deceased", "date_of_death", "registered_at"}
        assert set(body["deceased"]) == {"given_names", "family_name", "date_of_birth", "address"}
        assert body["reference"] == entry["reference"] and body["date_of_death"] == entry["date_of_death"]


@pytest.mark.parametrize("typed", ["7k3p 9qx2 m4td", " 7K3P9QX2M4TD ", "7k3p-9qx2-m4td"])
def test_a_reference_is_read_as_people_type_it(url, token, typed) -> None:
    answer = requests.get(f"{url}/v1/registrations/{typed}", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert answer.status_code == 200 and answer.json()["reference"] == REFERENCE


def test_unknown_malformed_and_unsigned_reads_of_the_register(url, token) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{url}/v1/registrations/AAAA-BBBB-CCCC", headers=auth, timeout=10).status_code == 404
    malformed = requests.get(f"{url}/v1/registrations/7K3P-9QX2", headers=auth, timeout=10)
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "registration"
    assert requests.get(f"{url}/v1/registrations/{REFERENCE}", timeout=10).status_code == 401


def test_a_death_reaches_each_service_once_and_a_second_report_is_already_reported(url, token) -> None:
    for service in SERVICES:
        key = str(uuid.uuid4())
        first = notify(url, token, service, death_body(service), key=key)
        assert first.status_code == 201, (service, first.text)
        replay = notify(url, token, service, death_body(service), key=key)
        assert replay.status_code == 201 and replay.json() == first.json()
        assert replay.headers["Idempotent-Replayed"] == "true"
        again = notify(url, token, service, death_body(service))
        assert again.status_code == 409
        assert again.json()["error"] == "already_reported"
        assert again.json()["reference"] == first.json()["reference"]
    inbox = requests.get(url + "/admin/inbox", headers=ADMIN, timeout=10)
    assert inbox.status_code == 200
    assert all(len(records) == 1 for records in inbox.json().values())


def test_the_register_is_checked(url, token) -> None:
    assert fields_named(notify(url, token, "dwp", death_body("dwp", registration="AAAA-BBBB-CCCC"))) == \
        ["registration"]
    assert fields_named(notify(url, token, "dwp", death_body("dwp", registration="7K3P"))) == ["registration"]
    for name, wrong in (("family_name", "Hassan"), ("date_of_birth", "1950-06-03")):
        assert fields_named(notify(url, token, "dwp", changed(death_body("dwp"), "deceased", name, wrong))) == \
            [f"deceased.{name}"]
    assert fields_named(notify(url, token, "dwp", death_body("dwp", date_of_death="2026-11-22"))) == \
        ["date_of_death"]
    # The same name as the register, spelt in another case and spacing, agrees.
    loose = death_body("dwp", registration="7k3p 9qx2 m4td")
    loose["deceased"]["family_name"] = " haddad "
    assert notify(url, token, "dwp", loose).status_code == 201


def test_only_what_the_service_needs_of_the_deceased_and_a_minimal_informant(url, token) -> None:
    body = death_body("hmpo")
    body["deceased"]["nino"] = YUSUF["documents"]["nino"]
    body["informant"]["date_of_birth"] = "1990-04-17"
    body["person"] = {"given_names": "Amira"}
    body["effective_date"] = "2026-11-23"
    named = fields_named(notify(url, token, "hmpo", body))
    assert {"deceased.nino", "informant.date_of_birth", "person", "effective_date"} <= set(named)
    missing = death_body("dvla")
    del missing["deceased"]["driving_licence_number"]
    assert fields_named(notify(url, token, "dvla", missing)) == ["deceased.driving_licence_number"]


def test_the_informant_and_the_date_of_death_follow_the_rules(url, token) -> None:
    for name, wrong, named in (("email", None, "informant"), ("relationship", "cousin", "informant.relationship"),
                               ("phone", "12345", "informant.phone")):
        body = changed(death_body("council"), "informant", name, wrong)
        assert fields_named(notify(url, token, "council", body)) == [named]
    for when in ("2026-02-30", "2099-01-01", "1949-01-01", "2020-01-01"):
        assert "date_of_death" in fields_named(notify(url, token, "council", death_body("council", date_of_death=when)))


def test_a_death_needs_a_sign_in_a_key_and_json(url, token) -> None:
    assert notify(url, None, "dwp", death_body("dwp")).status_code == 401
    assert notify(url, token, "dwp", death_body("dwp"), key=None).status_code == 400
    assert notify(url, token, "dwp", data="{not json").status_code == 400


def test_admin_registrations_make_new_ones_the_register_then_answers(mock, token) -> None:
    made = admin(mock, "POST", "/admin/registrations", json={
        "deceased": {"given_names": "Edith", "family_name": "Clarke", "date_of_birth": "1938-02-11",
                     "address": {"line1": "4 Station Road", "town": "York", "postcode": "yo1 7aa"}},
        "date_of_death": "2026-11-20"})
    assert made.status_code == 201, made.text
    reference = made.json()["reference"]
    read = requests.get(f"{mock.url}/v1/registrations/{reference.lower().replace('-', ' ')}",
                        headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert read.status_code == 200 and read.json()["deceased"]["address"]["postcode"] == "YO1 7AA"
    refused = admin(mock, "POST", "/admin/registrations", json={"deceased": {"given_names": "Edith"},
                                                               "date_of_death": "2099-01-01"})
    assert refused.status_code == 422
    assert {"deceased.family_name", "deceased.date_of_birth", "date_of_death"} <= {
        e["field"] for e in refused.json()["errors"]}
    taken = admin(mock, "POST", "/admin/registrations", json={**made.json()})
    assert taken.status_code == 409


def test_the_page_shows_deaths_with_identifiers_masked_and_the_dwp_scenario(mock, token) -> None:
    chosen = admin(mock, "PUT", "/admin/scenario", json={"name": "dwp_death_reported"})
    assert chosen.status_code == 200 and chosen.json()["name"] == "dwp_death_reported"
    again = notify(mock.url, token, "dwp", death_body("dwp"))
    assert again.status_code == 409 and again.json()["error"] == "already_reported"
    assert notify(mock.url, token, "hmrc", death_body("hmrc")).status_code == 201
    page = admin(mock, "GET", "/" + (f"?key={mock.admin_key}" if getattr(mock, "admin_key", None) else "")).text
    assert "death reported, registration" in page and "A death already reported to DWP" in page
    for secret in (YUSUF["documents"]["nino"], REFERENCE, YUSUF["deceased"]["date_of_birth"]):
        assert secret not in page
    assert "•••••••7B" in page
    # Another scenario takes the seeded death away again; reset empties it all.
    admin(mock, "PUT", "/admin/scenario", json={"name": "healthy"})
    assert admin(mock, "GET", "/admin/scenario").json()["name"] == "healthy"
    assert notify(mock.url, token, "dwp", death_body("dwp")).status_code == 201


def test_the_seeded_registrations_pass_the_vocabulary() -> None:
    from exchange.vocabulary import clean_person

    for entry in REGISTRATIONS:
        _, errors = clean_person({**entry["deceased"], **entry["documents"]})
        assert errors == [], entry["reference"]


def test_registrations_file_is_where_the_readme_says() -> None:
    assert REGISTRATIONS_FILE == ROOT / "assets" / "personas" / "registrations.json" and REGISTRATIONS_FILE.exists()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for entry in REGISTRATIONS:
        assert entry["reference"] in readme


def test_two_keys_racing_for_one_death_store_it_once(url, token) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _i: notify(url, token, "nhs", death_body("nhs")), range(8)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 1 and statuses.count(409) == 7, statuses
    first = next(a for a in answers if a.status_code == 201).json()["reference"]
    assert {a.json()["reference"] for a in answers if a.status_code == 409} == {first}
