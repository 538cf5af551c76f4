"""Is a notification body one this service may receive? (CONTRACT section 4)

People are checked by exchange.vocabulary, the same code the app uses, so the
two sides cannot disagree about what a valid person is. This module adds only
what belongs to a notification: its event, effective date, consent, and which
fields this service is entitled to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Collection
from typing import Any

from exchange.catalogue import Service
from exchange.death import (
    clean_deceased,
    date_of_death_errors,
    informant_errors,
    normalise_informant,
    normalise_registration,
    register_disagreements,
    registration_errors,
)
from exchange.vocabulary import FIELDS, LABELS, clean_person, parse_date

Error = tuple[str, str]

TOP_LEVEL = ("event", "effective_date", "person", "consent")
EVENT_NAMES = {
    "profile_shared": "sharing your details",
    "change_of_address": "a change of address",
    "change_of_name": "a change of name",
    "change_of_contact": "a change of contact details",
    "death": "a death",
}
DEATH_TOP_LEVEL = ("event", "registration", "date_of_death", "deceased", "informant", "consent")
Register = Callable[[str], "dict[str, Any] | None"]
INSTANT_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$")
MAX_STATEMENT = 2000


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return dt.date(year, month_index + 1, min(day.day, last_day))


def effective_date_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """At most one year back and three months ahead."""
    return _add_months(today, -12), _add_months(today, 3)


def _event_errors(service: Service, event: Any) -> list[Error]:
    if event is None:
        return [("event", "Say what happened: choose an event")]
    if not isinstance(event, str) or event not in EVENT_NAMES:
        return [("event", f"Choose one of these events: {', '.join(service.events)}")]
    if event not in service.events:
        return [("event", f"{service.name} does not need to be told about {EVENT_NAMES[event]}")]
    return []


def _effective_date_errors(event: Any, value: Any, today: dt.date) -> list[Error]:
    field = "effective_date"
    if event == "profile_shared":
        if value is not None:
            return [(field, "Leave out the effective date when sharing your details")]
        return []
    if not isinstance(event, str) or not event.startswith("change_of_"):
        return []  # the event's own error says what is wrong
    if value is None:
        return [(field, "Enter the date the change happened")]
    when = parse_date(value)
    if when is None:
        return [(field, "The date the change happened must be a real date, like 2026-11-20")]
    earliest, latest = effective_date_window(today)
    if when < earliest:
        return [(field, "The date the change happened must be within the last year")]
    if when > latest:
        return [(field, "The date the change happened must be within the next three months")]
    return []


def _consent_errors(consent: Any) -> list[Error]:
    if consent is None:
        return [("consent", "Agree to share your details before telling this service")]
    if not isinstance(consent, dict):
        return [("consent", "Consent must say when you agreed and what you agreed to")]
    errors: list[Error] = []
    for key in consent:
        if key not in ("given_at", "statement"):
            errors.append((f"consent.{key}", f"{key} is not part of consent"))
    given_at = consent.get("given_at")
    valid_instant = isinstance(given_at, str) and INSTANT_RE.match(given_at)
    if valid_instant:
        try:
            dt.datetime.fromisoformat(given_at.replace("Z", "+00:00"))
        except ValueError:
            valid_instant = False
    if not valid_instant:
        errors.append(("consent.given_at",
                       "Give the time you agreed as a UTC instant, like 2026-11-27T10:02:11Z"))
    statement = consent.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        errors.append(("consent.statement", "Include the words you agreed to"))
    elif len(statement) > MAX_STATEMENT:
        errors.append(("consent.statement",
                       f"The words you agreed to must be {MAX_STATEMENT} characters or fewer"))
    return errors


def _split_entitled(part: str, given: dict[str, Any], entitled: Collection[str],
                    not_entitled: Callable[[str], str]) -> tuple[dict[str, Any], list[Error]]:
    """What the service may receive, and an error naming each other field: data minimisation is the point."""
    kept: dict[str, Any] = {}
    errors: list[Error] = []
    for key, value in given.items():
        if key in entitled:
            kept[key] = value
        elif key in FIELDS:
            errors.append((f"{part}.{key}", not_entitled(LABELS[key].lower())))
        else:
            errors.append((f"{part}.{key}", f"{key} is not a detail this service knows"))
    return kept, errors


def _person_errors(service: Service, person: Any, today: dt.date) -> list[Error]:
    if person is None:
        return [("person", "Include the details this service needs")]
    if not isinstance(person, dict):
        return [("person", "Send the person's details as a JSON object")]
    entitled, errors = _split_entitled("person", person, service.fields,
                                       lambda label: f"{service.name} is not entitled to your {label}")
    _, person_errors = clean_person(entitled, required=service.requires, today=today)
    return errors + [(f"person.{field}", message) for field, message in person_errors]


def _deceased_errors(service: Service, deceased: Any, today: dt.date) -> tuple[dict[str, Any], list[Error]]:
    if deceased is None:
        return {}, [("deceased", "Include the details of the person who died that this service needs")]
    if not isinstance(deceased, dict):
        return {}, [("deceased", "Send the details of the person who died as a JSON object")]
    entitled, errors = _split_entitled("deceased", deceased, service.death_fields,
                                       lambda label: f"{service.name} does not need the {label} of the person who died")
    person, person_errors = clean_deceased(entitled, required=service.death_requires, today=today)
    return person, errors + person_errors


def death_notification_errors(service: Service, body: dict[str, Any], register: Register,
                              today: dt.date | None = None) -> list[Error]:
    """Every problem with a death notification (CONTRACT section 8), the register's checks last."""
    today = today or dt.datetime.now(dt.UTC).date()
    errors: list[Error] = [
        (str(key), f"{key} is not part of a notification of a death") for key in body if key not in DEATH_TOP_LEVEL
    ]
    errors += _event_errors(service, "death")
    reference = normalise_registration(body.get("registration"))
    reference_errors = registration_errors(reference)
    errors += reference_errors
    deceased, deceased_errors = _deceased_errors(service, body.get("deceased"), today)
    errors += deceased_errors
    date_of_death = body.get("date_of_death")
    errors += date_of_death_errors(date_of_death, deceased.get("date_of_birth"), today)
    errors += informant_errors(normalise_informant(body.get("informant")), today)
    errors += _consent_errors(body.get("consent"))
    if errors:
        return errors
    held = register(reference)
    if held is None:
        return [("registration", "There is no registered death with this reference. Check the reference on "
                                 "the certificate the registrar gave you")]
    return register_disagreements(deceased, date_of_death, held)


def notification_errors(service: Service, body: dict[str, Any], today: dt.date | None = None,
                        register: Register | None = None) -> list[Error]:
    """Every problem with a parsed notification body, at once; [] when it may be stored."""
    today = today or dt.datetime.now(dt.UTC).date()
    if body.get("event") == "death":
        return death_notification_errors(service, body, register or (lambda reference: None), today)
    errors: list[Error] = [
        (str(key), f"{key} is not part of a notification") for key in body if key not in TOP_LEVEL
    ]
    event = body.get("event")
    errors += _event_errors(service, event)
    errors += _effective_date_errors(event, body.get("effective_date"), today)
    errors += _person_errors(service, body.get("person"), today)
    errors += _consent_errors(body.get("consent"))
    return errors
