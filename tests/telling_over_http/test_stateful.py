"""A hypothesis state machine over tell, sync, crash and fault, against the real mock.

Whatever the order, once faults stop: every delivery ends delivered, needs_attention
or superseded; no service ever stores two records for one delivery; and per
service, records arrive in the order they were told.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from portal.telling import TellRefused, commit_tell, plan_tell
from tests.telling_over_http.conftest import Gov, signed_in_portal

SERVICES = ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]
EVENTS = ["profile_shared", "change_of_address", "change_of_name", "change_of_contact"]
FAULTS = [
    {"error_rate": 0.5, "error_status": 503, "retry_after": 0},
    {"error_rate": 0.5, "error_status": 429, "retry_after": 0},
    {"down": True, "retry_after": 0},
    {"latency_ms": 50},
    {"reject_with": "We cannot accept this notification"},
]


class TellOnceMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tell-once-"))
        self.gov = Gov(self.folder / "gov").start()
        self.portal = signed_in_portal(self.folder / "home", self.gov.url)

    @rule(event=st.sampled_from(EVENTS), services=st.lists(st.sampled_from(SERVICES), min_size=1, unique=True))
    def tell(self, event: str, services: list[str]) -> None:
        try:
            plan = plan_tell(self.portal.store.current_profile(), self.portal.catalogue(), event, services)
        except TellRefused:
            return  # e.g. hmpo does not take a change of address: refused up front, nothing queued
        commit_tell(self.portal.store, plan)

    @rule()
    def sync(self) -> None:
        self.portal.courier.run_pass()

    @rule(pick=st.integers(min_value=0, max_value=1000))
    def crash(self, pick: int) -> None:
        """The app dies after a service received a notification but before it recorded the answer.

        What is queued depends on the mock's random faults, so the choice is drawn as a
        plain number (the same draw on every replay) rather than from the queue itself.
        """
        heads = [h for h in self.portal.store.heads() if h.state == "queued"]
        if not heads:
            return
        head = heads[pick % len(heads)]
        row = self.portal.store.claim(head.id)
        service = self.portal.catalogue().get(row.service)
        with contextlib.suppress(requests.RequestException):
            requests.post(service.endpoint, data=self.portal.store.open_body(row), timeout=5, headers={
                "Authorization": f"Bearer {self.portal.session.access_token()}",
                "Idempotency-Key": row.idempotency_key, "Content-Type": "application/json"})
        # ...and starts again.
        self.portal.close()
        self.portal = signed_in_portal(self.folder / "home", self.gov.url, backend=self.portal.secrets.backend)
        self.portal.courier.recover()

    @rule(service=st.sampled_from(SERVICES), fault=st.sampled_from(FAULTS))
    def fault(self, service: str, fault: dict) -> None:
        self.gov.faults(service, **fault)

    @rule()
    def heal(self) -> None:
        self.gov.heal()

    @invariant()
    def never_two_records_for_one_delivery(self) -> None:
        keys = [r["key"] for records in self.gov.inbox().values() for r in records]
        assert len(keys) == len(set(keys))

    def teardown(self) -> None:
        try:
            self.gov.heal()
            self.portal.courier.sync(until_idle=True, timeout=30)
            rows = self.portal.store.deliveries()
            assert {row.state for row in rows} <= {"delivered", "needs_attention", "superseded"}
            inbox = self.gov.inbox()
            keys_by_id = {row.id: self.portal.store.delivery(row.id).idempotency_key for row in rows}
            for service in SERVICES:
                arrived = [r["key"] for r in sorted(inbox[service], key=lambda r: r["seq"])]
                assert len(arrived) == len(set(arrived))
                told = [keys_by_id[row.id] for row in rows
                        if row.service == service and row.state == "delivered"]
                assert arrived == told  # in the order they were told, each exactly once
        finally:
            self.portal.close()
            self.gov.stop()
            shutil.rmtree(self.folder, ignore_errors=True)


TellOnceMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_tell_once_state_machine = TellOnceMachine.TestCase
