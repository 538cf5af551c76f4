"""What the facilitator page shows: per service, the records newest first, with the
NAMES of the fields each department received and masked tails of identifiers.

A projector is public, so no value of a person's detail is shown in full.
"""

from __future__ import annotations

from typing import Any

from services.mock import scenarios
from services.mock.state import MockState
from services.vocabulary import FIELDS, LABELS, SENSITIVE_FIELDS

RECORDS_PER_SERVICE = 50
EVENT_LABELS = {
    "profile_shared": "profile shared",
    "change_of_address": "change of address",
    "change_of_name": "change of name",
    "change_of_contact": "change of contact details",
}


def mask(value: Any) -> str:
    """The last two characters only, enough to tell two test people apart."""
    text = str(value)
    return "•" * max(len(text) - 2, 0) + text[-2:]


def _fields(person: Any) -> list[dict[str, str]]:
    if not isinstance(person, dict):
        return []
    shown = []
    for field in FIELDS:  # form order, not the order the client sent
        if person.get(field) is None:
            continue
        entry = {"name": field, "label": LABELS[field]}
        if field in SENSITIVE_FIELDS:
            entry["masked"] = mask(person[field])
        shown.append(entry)
    return shown


def _fault_labels(fault: dict[str, Any]) -> list[str]:
    labels = []
    if fault["down"]:
        labels.append("down (503)")
    if fault["error_rate"]:
        labels.append(f"fails {fault['error_rate']:.0%} with {fault['error_status']}")
    if fault["timeout_rate"]:
        labels.append(f"hangs {fault['timeout_rate']:.0%}")
    if fault["latency_ms"]:
        labels.append(f"slow: {fault['latency_ms']} ms")
    if fault["reject_with"]:
        labels.append(f"rejects: {fault['reject_with']}")
    return labels


def demo_status(state: MockState) -> dict[str, Any]:
    """What an app in a demo polls (GET /admin/demo), and what the page shows at the top."""
    scenario = scenarios.current(state.faults, state.catalogue.ids)
    return {"generation": state.inbox.generation(), "scenario": scenario,
            "scenario_label": scenarios.describe(scenario)["label"],
            "research_log": state.research.enabled, "research_events": state.research.count()}


def snapshot(state: MockState) -> dict[str, Any]:
    records = state.inbox.by_service(state.catalogue.ids, limit=RECORDS_PER_SERVICE)
    counts = state.inbox.counts()
    faults = state.faults.as_dict()
    services = []
    for service in state.catalogue:
        services.append({
            "id": service.id,
            "name": service.name,
            "count": counts.get(service.id, 0),
            "faults": _fault_labels(faults[service.id]),
            "records": [
                {
                    "reference": record["reference"],
                    "received_at": record["received_at"],
                    "time": record["received_at"][11:19],
                    "event_label": EVENT_LABELS.get(record["body"].get("event"), "?"),
                    "event": record["body"].get("event"),
                    "effective_date": record["body"].get("effective_date"),
                    "fields": _fields(record["body"].get("person")),
                }
                for record in records[service.id]
            ],
        })
    return {"services": services, "demo": demo_status(state), "scenarios": scenarios.listing()}
