"""portal/death.py and exchange/death.py without a network: parsing, normalising, minimising, sealing, forgetting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.catalogue import CATALOGUE_FILE
from exchange.death import (
    INFORMANT_FIELDS,
    minimal_informant,
    normalise_registration,
    registration_errors,
)
from exchange.personas import REGISTRATIONS_FILE
from exchange.vocabulary import SENSITIVE_FIELDS
from portal.catalogue import parse_catalogue
from portal.death import DeathCase, check_case, commit_death, forget, kept_cases, plan_death
from portal.store import Profile
from portal.telling import TellRefused
from tests.conftest import AMIRA

REGISTRATIONS = json.loads(REGISTRATIONS_FILE.read_text(encoding="utf-8"))
YUSUF = REGISTRATIONS[0]
REGISTER = {key: YUSUF[key] for key in ("reference", "deceased", "date_of_death", "registered_at")}


def catalogue():
    return parse_catalogue(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8")), "http://127.0.0.1:1", "bundled")


def yusuf_case(**numbers) -> DeathCase:
    case, errors = check_case(numbers or dict(YUSUF["documents"]), "7k3p 9qx2 m4td", "child", None, REGISTER)
    assert errors == []
    return case


def test_the_catalogue_gives_each_service_its_death_needs() -> None:
    dvla = catalogue().get("dvla")
    assert dvla.death_requires == ("given_names", "family_name", "date_of_birth", "driving_licence_number")
    assert dvla.death_fields == (*dvla.death_requires, "address")
    assert catalogue().get("hmpo").death_accepts == ()


def test_a_service_listing_death_without_saying_what_it_needs_is_not_told_of_one() -> None:
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    del data["services"][0]["death"]
    data["services"][1]["death"] = {"accepts": ["address"]}
    parsed = parse_catalogue(data, "http://127.0.0.1:1", "fetched")
    assert [s.id for s in parsed.taking("death")] == ["dvla", "hmpo", "council", "nhs"]
    assert "change_of_address" in parsed.get("hmrc").events


@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=12, max_size=12),
       st.lists(st.sampled_from([" ", "-", "  "]), max_size=4), st.booleans())
def test_a_reference_typed_any_way_normalises_to_three_groups(core: str, noise: list[str], lower: bool) -> None:
    typed = core.lower() if lower else core
    for index, extra in enumerate(noise):
        position = (index * 5) % len(typed)
        typed = typed[:position] + extra + typed[position:]
    normalised = normalise_registration(typed)
    assert normalised == f"{core[:4]}-{core[4:8]}-{core[8:]}"
    assert registration_errors(normalised) == []


@pytest.mark.parametrize("typed", ["", "7K3P-9QX2", "7K3P-9QX2-M4TD-1", "7K3P_9QX2_M4TD", "７K3P9QX2M4TD"])
def test_malformed_references_are_named(typed: str) -> None:
    assert [name for name, _ in registration_errors(normalise_registration(typed))] == ["registration"]


@given(st.sampled_from(["child", "executor", "friend"]))
def test_the_informant_is_minimised_to_names_relationship_and_ways_to_reach_them(relationship: str) -> None:
    informant = minimal_informant(AMIRA, relationship)
    assert set(informant) <= set(INFORMANT_FIELDS)
    assert not set(informant) & (SENSITIVE_FIELDS | {"date_of_birth"})
    assert informant["relationship"] == relationship and informant["email"] == AMIRA["email"]


def test_each_service_receives_only_its_death_fields_and_who_cannot_be_told_says_why() -> None:
    numbers = {k: v for k, v in YUSUF["documents"].items() if k != "passport_number"}
    plan = plan_death(Profile(AMIRA), catalogue(), yusuf_case(**numbers), "all", language="en")
    for preview in plan.previews:
        assert set(preview.deceased) <= set(preview.service.death_fields)
        assert set(preview.deceased) >= set(preview.service.death_requires)
        assert preview.statement.endswith("[en]") and "Yusuf" not in preview.statement
    assert [n.service.id for n in plan.not_told] == ["hmpo"]
    assert "passport number" in plan.not_told[0].reason
    with pytest.raises(TellRefused) as refused:
        plan_death(Profile(AMIRA), catalogue(), yusuf_case(**numbers), ["hmpo"], language="en")
    assert refused.value.errors[0][0] == "services.hmpo"


def test_an_informant_with_no_way_to_reach_them_is_refused() -> None:
    nameless = {"given_names": "Amira", "family_name": "Haddad"}
    with pytest.raises(TellRefused) as refused:
        plan_death(Profile(nameless), catalogue(), yusuf_case(), "all", language="en")
    assert refused.value.errors[0][0] == "profile"


def test_the_register_fills_gaps_and_disagreements_are_named() -> None:
    case = yusuf_case()
    assert case.deceased["address"]["postcode"] == "LS8 4EU" and case.date_of_death == "2026-11-23"
    _, errors = check_case({"family_name": "Hassan"}, "7K3P-9QX2-M4TD", "child", "2026-11-20", REGISTER)
    assert [name for name, _ in errors] == ["deceased.family_name", "date_of_death"]
    _, offline = check_case({"given_names": "Yusuf", "family_name": "Haddad"}, "7K3P-9QX2-M4TD", "child", None, None)
    assert [name for name, _ in offline] == ["date_of_death"]


def test_the_case_is_sealed_apart_from_the_profile_and_forgotten_with_its_bodies(store, home: Path) -> None:
    store.save_profile(AMIRA)
    plan = plan_death(store.current_profile(), catalogue(), yusuf_case(), "all", language="en")
    ids = commit_death(store, plan)
    secrets = [*YUSUF["documents"].values(), "Harehills"]
    for path in home.iterdir():
        data = path.read_bytes()
        assert not [s for s in secrets if s.encode() in data], path.name
    assert store.current_profile().person == AMIRA  # never merged into the citizen's details
    [case] = kept_cases(store)
    assert not case.ended
    # One delivery ended, the rest still queued: forgetting empties only the ended one's body.
    store.finish_attempt(ids[0], state="delivered", reference="HMRC-1", audit={"at": "2026-12-02T00:00:00Z",
                         "outcome": "delivered", "http_status": 201, "detail": "Received"})
    assert forget(store, case.id)
    assert kept_cases(store) == []
    assert store.delivery(ids[0]).body == b""
    assert json.loads(store.open_body(store.delivery(ids[1])))["event"] == "death"
    assert not forget(store, case.id)
