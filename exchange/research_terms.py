"""What a research log may say: the allow-list both sides check (the app, then the mock again).

A research log records how people use the app (which screen, for how long,
which error they saw), never what they typed. So every slot of an event takes
words from a closed list, and nothing else:

- ``kind``: one of ``KINDS``;
- ``field``: a field NAME of the vocabulary (``nino``, ``address.postcode``)
  or of the app's few other forms (``FORM_FIELDS``);
- ``message``: one of the vocabulary's own English error messages, whose only
  variable parts are its field labels and limits (``known_messages()``), or
  one of ``FORM_MESSAGES``;
- ``screen``, ``detail`` (a help topic, a flow, the screen before): a short
  lower-case identifier (``IDENTIFIER``);
- ``session``: 32 lower-case hex digits (a random id, made fresh per participant);
- ``seconds_on_screen``: a number; ``at``: an ISO 8601 UTC instant.

``event_errors(event)`` names what is wrong with one event; [] means it may be kept.

    >>> event_errors({"kind": "validation_error", "at": "2026-11-27T10:02:11.250Z",
    ...               "session": "0" * 32, "screen": "details", "field": "nino",
    ...               "message": "Enter a National Insurance number in the correct format"})
    []
    >>> event_errors({"kind": "validation_error", "at": "2026-11-27T10:02:11.250Z",
    ...               "session": "0" * 32, "screen": "details", "field": "AB123456C",
    ...               "message": "Enter a National Insurance number in the correct format"})
    [('field', 'not a field name of the vocabulary')]

The reasons name the slot, never repeat what was in it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from exchange.vocabulary import ADDRESS_FIELDS, FIELDS, LABELS, MISSING, field_errors, validate_person

KINDS: tuple[str, ...] = (
    "screen_change",      # screen: the new one; detail: the one before
    "screen_time",        # screen, seconds_on_screen: time spent there before leaving it
    "validation_error",   # screen, field, message: an error the app showed
    "help_opened",        # screen, detail: the help topic
    "flow_abandoned",     # screen, detail: the flow left unfinished (tell, details, sign_in...)
    "flow_completed",     # screen, detail: the flow finished
    "reset",              # the demo was reset: the next participant starts
)
# The slots each kind may fill, besides at, session and kind (every slot left out is empty).
SLOTS: dict[str, frozenset[str]] = {
    "screen_change": frozenset({"screen", "detail"}),
    "screen_time": frozenset({"screen", "seconds_on_screen"}),
    "validation_error": frozenset({"screen", "field", "message"}),
    "help_opened": frozenset({"screen", "detail"}),
    "flow_abandoned": frozenset({"screen", "detail"}),
    "flow_completed": frozenset({"screen", "detail"}),
    "reset": frozenset({"screen"}),
}
COMMON = frozenset({"at", "session", "kind"})
COLUMNS: tuple[str, ...] = ("at", "session", "kind", "screen", "seconds_on_screen", "field", "message", "detail")

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SESSION = re.compile(r"^[0-9a-f]{32}$")
INSTANT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$")
MAX_SECONDS = 24 * 3600.0
# Shorter values (a country code like GB) are too short to recognise safely in an identifier.
MIN_VALUE_LENGTH = 3

# Fields of the app's forms that are not part of the person.
FORM_FIELDS: tuple[str, ...] = ("username", "password", "endpoint", "effective_date", "services", "event")
# Their messages, word for word as portal/ writes them (tests/research checks they agree).
FORM_MESSAGES: frozenset[str] = frozenset({
    # signing in (portal/commands.py, portal/session.py)
    "Enter your username",
    "Enter your password",
    "The username or password is not right. Check them and try again.",
    # the endpoint in Settings (portal/endpoint.py)
    "Enter the address of the government endpoints, like 192.168.1.20:8700",
    "Enter the address without spaces, like 192.168.1.20:8700",
    "The address must start with http:// or https://, or be just host:port, like 192.168.1.20:8700",
    "Enter a computer name or IP address before the port, like 192.168.1.20:8700",
    "Enter the port after a colon, like 192.168.1.20:8700",
    "The port must be a number from 1 to 65535, like 8700",
    "Leave out anything after the address, like ?, # or a user name",
    "Use https:// for any computer but this one, like https://192.168.1.20:8700",
    # telling (portal/telling.py)
    "Leave out the date when sharing your details for the first time",
    "The date the change took effect must be a real date",
    "The date the change took effect must be within the last year",
    "The date the change takes effect must be within the next 3 months",
    "Choose at least one service to tell",
})


def field_names() -> frozenset[str]:
    """Every field name an event may carry: the person's, its address parts, the forms'."""
    return frozenset(FIELDS) | {f"address.{part}" for part in ADDRESS_FIELDS} | frozenset(FORM_FIELDS)


def _only_labels_and_numbers(message: Any) -> bool:
    """A vocabulary message whose variable parts are its own labels and limits, never typed text."""
    labels = set(LABELS.values())
    params = getattr(message, "params", {}) or {}
    return all((isinstance(v, int) and not isinstance(v, bool)) or v in labels for v in params.values())


def _probe_people() -> list[dict[str, Any]]:
    """People wrong in every way the vocabulary checks, to collect every message it can show."""
    long_text = "x" * 101
    wrong_check_digit = "9992345670"
    return [
        {},  # every field missing
        {"given_names": long_text, "family_name": "1", "date_of_birth": "2999-01-01", "nino": "x",
         "nhs_number": "x", "driving_licence_number": "x", "passport_number": "x", "email": "x", "phone": "x",
         "address": "x"},
        {"given_names": ".", "family_name": long_text, "date_of_birth": "nope", "nhs_number": wrong_check_digit,
         "address": {"line1": long_text, "line2": long_text, "town": long_text, "postcode": "x", "country": "FR"}},
        {"given_names": "1", "family_name": ".", "date_of_birth": "1800-01-01",
         "address": {"line1": 1, "line2": 2, "town": 3, "postcode": 4}},
        {"given_names": "A", "family_name": "B", "date_of_birth": "1990-04-17",
         "driving_licence_number": "HADDA911170AM9XY"},  # does not match the date of birth
        {"given_names": "A\x1b", "family_name": "B\u202e", "email": "a\x00@b.example",  # hidden characters
         "address": {"line1": "1\x1b", "line2": "\u200b", "town": "T\x00", "postcode": "LS1 1AA"}},
    ]


@functools.cache
def known_messages() -> frozenset[str]:
    """Every English message the vocabulary shows (labels and limits filled in), and FORM_MESSAGES.

    Found by asking the vocabulary itself about people wrong in every way, so
    it needs no source code (an Android build ships none) and follows the
    vocabulary when its wording changes.
    """
    found: set[str] = {str(message) for message in MISSING.values()}
    required = tuple(FIELDS)
    for person in _probe_people():
        for _, message in validate_person(person, required=required):
            if _only_labels_and_numbers(message):
                found.add(str(message))
        if isinstance(person.get("address"), dict):
            for _, message in field_errors("address", person["address"]):
                if _only_labels_and_numbers(message):
                    found.add(str(message))
    return frozenset(found) | FORM_MESSAGES


def english(message: Any) -> str:
    """The English words of a message: a vocabulary Message is English whatever language is shown."""
    return str.__str__(message) if isinstance(message, str) else str(message)


def normalised_value(value: str) -> str:
    """A value as it would look squeezed into an identifier: lower case, runs of anything else as _."""
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def flatten_values(person: Mapping[str, Any]) -> list[str]:
    """Every value in a person (address parts too), as text."""
    values: list[str] = []
    stack: list[Any] = [person]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif item is not None:
            values.append(str(item))
    return values


def mentions_a_value(text: str, values: Iterable[str]) -> bool:
    """Does this identifier hold one of these personal values (ignoring case and punctuation)?"""
    squeezed = normalised_value(text)
    bare = squeezed.replace("_", "")
    for value in values:
        norm = normalised_value(value)
        if len(norm.replace("_", "")) < MIN_VALUE_LENGTH:
            continue
        if norm in squeezed or norm.replace("_", "") in bare:
            return True
    return False


def event_errors(event: Any, personal_values: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What is wrong with one research event, slot by slot; [] when it may be kept.

    ``personal_values`` (values someone is known to hold) are refused inside
    identifiers too: a screen called ``leeds`` is a town, not a screen.
    """
    if not isinstance(event, Mapping):
        return [("event", "not an object")]
    kind = event.get("kind")
    if kind not in SLOTS:
        return [("kind", "not a kind of research event")]
    allowed = COMMON | SLOTS[kind]
    return (_slot_errors(event, allowed) + _stamp_errors(event)
            + _identifier_errors(event, allowed, list(personal_values)) + _kind_errors(kind, event))


def _slot_errors(event: Mapping, allowed: frozenset[str]) -> list[tuple[str, str]]:
    return [(str(key) if str(key) in COLUMNS else "event", "not a slot of this kind of event")
            for key in event if key not in allowed]


def _stamp_errors(event: Mapping) -> list[tuple[str, str]]:
    """The instant and the session id every event carries."""
    errors: list[tuple[str, str]] = []
    at = event.get("at")
    if not isinstance(at, str) or not INSTANT.match(at) or _bad_instant(at):
        errors.append(("at", "not an ISO 8601 UTC instant"))
    if not isinstance(event.get("session"), str) or not SESSION.match(event["session"]):
        errors.append(("session", "not a session id (32 lower-case hex digits)"))
    return errors


def _identifier_errors(event: Mapping, allowed: frozenset[str],
                       values: list[str]) -> list[tuple[str, str]]:
    """``screen`` and ``detail``: lower-case identifiers that hold no personal value."""
    errors: list[tuple[str, str]] = []
    for slot in ("screen", "detail"):
        value = event.get(slot)
        if value is None or slot not in allowed:
            continue
        if not isinstance(value, str) or not IDENTIFIER.match(value):
            errors.append((slot, "not a lower-case identifier"))
        elif values and mentions_a_value(value, values):
            errors.append((slot, "holds a personal value"))
    return errors


def _kind_errors(kind: str, event: Mapping) -> list[tuple[str, str]]:
    """The slots only one kind has: a screen's time, a validation error's field and message."""
    errors: list[tuple[str, str]] = []
    if kind == "screen_time":
        seconds = event.get("seconds_on_screen")
        if (not isinstance(seconds, int | float) or isinstance(seconds, bool) or not math.isfinite(seconds)
                or not 0 <= seconds <= MAX_SECONDS):
            errors.append(("seconds_on_screen", "not a number of seconds from 0 to a day"))
    if kind == "validation_error":
        if event.get("field") not in field_names():
            errors.append(("field", "not a field name of the vocabulary"))
        message = event.get("message")
        if not isinstance(message, str) or message not in known_messages():
            errors.append(("message", "not one of the vocabulary's messages"))
    return errors


def _bad_instant(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return True
    return False
