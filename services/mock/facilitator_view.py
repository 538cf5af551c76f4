"""What the facilitator page shows: per service, the records newest first, with the
NAMES of the fields each department received and masked tails of identifiers.

A projector is public, so no value of a person's detail is shown in full.

The page speaks the facilitator's language (``/?lang=cy``): its labels are in the
app's own catalogues under assets/locale, read through ``exchange.locale`` (the
mock imports nothing of portal/). The JSON API stays English.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from exchange.locale import LANGUAGES, load_catalogue
from exchange.vocabulary import FIELDS, LABELS, N_, SENSITIVE_FIELDS
from services.mock import scenarios
from services.mock.registrations import seeded_deaths
from services.mock.state import MockState

RECORDS_PER_SERVICE = 50
EVENT_LABELS = {
    "profile_shared": N_("profile shared"),
    "change_of_address": N_("change of address"),
    "change_of_name": N_("change of name"),
    "change_of_contact": N_("change of contact details"),
    "death": N_("death reported"),
}
# The words the page's script writes itself (facilitator.js), in the page's language.
SCRIPT_WORDS = {
    "live": N_("Live: updates by itself every second · times in UTC"),
    "unreachable": N_("Cannot reach the mock: retrying"),
    "nothing": N_("Nothing received yet"),
    "from": N_("from {date}"),
    "working": N_("Working…"),
    "failed": N_("That did not work: is the mock still running?"),
    "scenario_on": N_("Scenario on: {name}"),
    "reset_done": N_("Demo reset: inboxes empty, faults off, the app starts again"),
    "log_on": N_("Research log on"),
    "log_off": N_("Research log off"),
    "on": N_("on"),
    "off": N_("off"),
    "turn_on": N_("Turn on"),
    "turn_off": N_("Turn off"),
}
Gettext = Callable[[str], str]
_catalogues: dict[str, Any] = {}
_lock = threading.Lock()


def gettext_for(language: str | None) -> tuple[str, Gettext]:
    """(the language, its gettext): an unknown or missing ``?lang=`` is English."""
    language = language if language in LANGUAGES else "en"
    with _lock:
        if language not in _catalogues:
            _catalogues[language] = load_catalogue(language)
        return language, _catalogues[language].gettext


def script_words(gettext: Gettext) -> dict[str, str]:
    return {key: gettext(text) for key, text in SCRIPT_WORDS.items()}


def mask(value: Any) -> str:
    """The last two characters only, enough to tell two test people apart."""
    text = str(value)
    return "•" * max(len(text) - 2, 0) + text[-2:]


def _fields(person: Any, gettext: Gettext = str) -> list[dict[str, str]]:
    if not isinstance(person, dict):
        return []
    shown = []
    for field in FIELDS:  # form order, not the order the client sent
        if person.get(field) is None:
            continue
        entry = {"name": field, "label": gettext(LABELS[field])}
        if field in SENSITIVE_FIELDS:
            entry["masked"] = mask(person[field])
        shown.append(entry)
    return shown


def _event_label(body: dict[str, Any], gettext: Gettext) -> str:
    label = gettext(EVENT_LABELS.get(body.get("event"), "?"))
    if body.get("event") == "death":
        # The registration points at one person: masked like an identifier.
        return gettext(N_("{event}, registration {reference}")).format(
            event=label, reference=mask(body.get("registration", "")))
    return label


def _fault_labels(fault: dict[str, Any], gettext: Gettext = str) -> list[str]:
    labels = []
    if fault["down"]:
        labels.append(gettext(N_("down (503)")))
    if fault["error_rate"]:
        labels.append(gettext(N_("fails {rate} with {status}")).format(rate=f"{fault['error_rate']:.0%}",
                                                                       status=fault["error_status"]))
    if fault["timeout_rate"]:
        labels.append(gettext(N_("hangs {rate}")).format(rate=f"{fault['timeout_rate']:.0%}"))
    if fault["latency_ms"]:
        labels.append(gettext(N_("slow: {ms} ms")).format(ms=fault["latency_ms"]))
    if fault["reject_with"]:
        labels.append(gettext(N_("rejects: {words}")).format(words=fault["reject_with"]))
    return labels


def demo_status(state: MockState, gettext: Gettext = str) -> dict[str, Any]:
    """What an app in a demo polls (GET /admin/demo), and what the page shows at the top."""
    scenario = scenarios.current(state.faults, state.catalogue.ids, seeded_deaths(state.database))
    return {"generation": state.inbox.generation(), "scenario": scenario,
            "scenario_label": gettext(scenarios.describe(scenario)["label"]),
            "research_log": state.research.enabled, "research_events": state.research.count()}


def snapshot(state: MockState, gettext: Gettext = str) -> dict[str, Any]:
    """What the page shows; labels through ``gettext`` (the page's language; English by default)."""
    records = state.inbox.by_service(state.catalogue.ids, limit=RECORDS_PER_SERVICE)
    counts = state.inbox.counts()
    faults = state.faults.as_dict()
    services = []
    for service in state.catalogue:
        services.append({
            "id": service.id,
            "name": service.name,
            "count": counts.get(service.id, 0),
            "faults": _fault_labels(faults[service.id], gettext),
            "records": [
                {
                    "reference": record["reference"],
                    "received_at": record["received_at"],
                    "time": record["received_at"][11:19],
                    "event_label": _event_label(record["body"], gettext),
                    "event": record["body"].get("event"),
                    "effective_date": record["body"].get("effective_date"),
                    # A death: the deceased's fields, their identifiers masked like anyone's.
                    "fields": _fields(record["body"].get("deceased" if record["body"].get("event") == "death"
                                                        else "person"), gettext),
                }
                for record in records[service.id]
            ],
        })
    listing = [{**item, "label": gettext(item["label"]), "description": gettext(item["description"])}
               for item in scenarios.listing()]
    return {"services": services, "demo": demo_status(state, gettext), "scenarios": listing}
