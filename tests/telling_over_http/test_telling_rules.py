"""What each service may receive: its requires + accepts fields that the profile has, never another."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from exchange.vocabulary import FIELDS
from portal.catalogue import Catalogue, Service
from portal.store import Profile
from portal.telling import CHANGES, EVENTS, TellRefused, frozen_body, plan_tell, who_can_be_told
from tests.conftest import AMIRA

TODAY = dt.date(2026, 11, 27)
field_sets = st.lists(st.sampled_from(FIELDS), unique=True)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    services = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        requires = draw(field_sets)
        services.append(Service(
            id=f"svc{index}", name=f"Service {index}", purpose="", endpoint=f"http://x/svc{index}",
            requires=tuple(requires),
            accepts=tuple(f for f in draw(field_sets) if f not in requires),
            events=tuple(draw(st.lists(st.sampled_from(list(EVENTS)), min_size=1, unique=True))),
        ))
    return Catalogue("test", tuple(services), "bundled")


@given(catalogues(), field_sets, st.sampled_from(list(EVENTS)))
def test_each_body_holds_exactly_the_entitled_fields_the_profile_has(catalogue, kept, event) -> None:
    person = {name: AMIRA[name] for name in kept if name in AMIRA}
    try:
        plan = plan_tell(Profile(person), catalogue, event, "all", today=TODAY)
    except TellRefused:
        return  # nobody could be told: refused up front, nothing to check
    for preview in plan.previews:
        service = preview.service
        assert preview.person  # a service with nothing to receive is not told
        assert set(preview.person) == (set(service.requires) | set(service.accepts)) & set(person)
        body = json.loads(frozen_body(plan, preview, "2026-11-27T10:00:00Z"))
        assert set(body["person"]) == set(preview.person)
        assert ("effective_date" in body) == (event != "profile_shared")
    told = {p.service.id for p in plan.previews}
    for item in plan.not_told:
        assert item.service.id not in told
        entitled = (set(item.service.requires) | set(item.service.accepts)) & set(person)
        assert event not in item.service.events or item.missing or not entitled
    assert told | {n.service.id for n in plan.not_told} == {s.id for s in catalogue.services}


@given(catalogues(), field_sets, st.sampled_from(list(CHANGES)))
def test_the_screens_list_and_the_plan_are_one_decision(catalogue, kept, event) -> None:
    """Who to tell (who_can_be_told) offers exactly whom plan_tell tells, and the same reason for the rest."""
    person = {name: AMIRA[name] for name in kept if name in AMIRA}
    can, cannot = who_can_be_told(catalogue, event, person, "en")
    try:
        plan = plan_tell(Profile(person), catalogue, event, "all", today=TODAY, language="en")
    except TellRefused as refused:
        assert not can and [message for _, message in refused.errors] == [
            "None of these services can be told about this change yet: " + " ".join(n.reason for n in cannot)]
        return
    assert [p.service for p in plan.previews] == can
    assert plan.not_told == cannot
    chosen = plan_tell(Profile(person), catalogue, event, [s.id for s in can], today=TODAY, language="en")
    assert [p.service for p in chosen.previews] == can  # each one offered can be chosen alone too
