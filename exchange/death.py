"""When someone has died (CONTRACT section 8): the words both sides share.

The registration reference, the informant and the date of death, normalised
and checked the same way by the app and by the mock, as exchange.vocabulary
does for the person. Messages are English templates (``Message``) the app
shows in the citizen's language.

    >>> normalise_registration(" 7k3p 9qx2 m4td ")
    '7K3P-9QX2-M4TD'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from exchange.vocabulary import MISSING, N_, Message, clean_person, field_errors, normalise_person, parse_date

Error = tuple[str, str]

EVENT = "death"
REGISTRATION_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
RELATIONSHIPS: dict[str, str] = {
    "spouse_or_partner": N_("Husband, wife or partner"),
    "child": N_("Son or daughter"),
    "parent": N_("Mother or father"),
    "sibling": N_("Brother or sister"),
    "other_relative": N_("Another relative"),
    "executor": N_("Executor or administrator of the estate"),
    "friend": N_("Friend"),
    "other": N_("Someone else"),
}
INFORMANT_NAMES = ("given_names", "family_name")
INFORMANT_CONTACTS = ("address", "email", "phone")
INFORMANT_FIELDS = (*INFORMANT_NAMES, "relationship", *INFORMANT_CONTACTS)
# What the register holds of the person who died.
REGISTER_FIELDS = ("given_names", "family_name", "date_of_birth", "address")
MAX_YEARS_AGO = 2


# The vocabulary asks for "your" details; of the person who died, a form asks for "their".
DECEASED_MISSING: dict[str, Message] = {
    "given_names": Message("Enter their given names"),
    "family_name": Message("Enter their family name"),
    "date_of_birth": Message("Enter their date of birth"),
    "address": Message("Enter their address"),
    "nino": Message("Enter their National Insurance number"),
    "nhs_number": Message("Enter their NHS number"),
    "driving_licence_number": Message("Enter their driving licence number"),
    "passport_number": Message("Enter their passport number"),
}


def clean_deceased(person: Any, required: tuple[str, ...] = ("given_names", "family_name"),
                   today: dt.date | None = None) -> tuple[dict[str, Any], list[Error]]:
    """The person who died, normalised and checked as any person, errors named ``deceased.<field>``."""
    cleaned, errors = clean_person(person, required=required, today=today)
    named = []
    for field, message in errors:
        if field in DECEASED_MISSING and str(message) == str(MISSING.get(field)):
            message = DECEASED_MISSING[field]
        named.append((f"deceased.{field}", message))
    return cleaned, named


def normalise_registration(value: Any) -> Any:
    """Upper-case, spaces (and any dashes) dropped, the dashes put back: as people type it."""
    if not isinstance(value, str):
        return value
    compact = re.sub(r"[\s\-]", "", value).upper()
    if len(compact) == 12 and compact.isascii() and compact.isalnum():
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return compact


def registration_errors(value: Any) -> list[Error]:
    if value is None or value == "":
        return [("registration", Message("Enter the registration reference the registrar gave you"))]
    if not isinstance(value, str) or not REGISTRATION_RE.match(value):
        return [("registration", Message(
            "Enter the registration reference in the correct format: 12 letters and numbers, "
            "like 7K3P-9QX2-M4TD"))]
    return []


def two_years_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - MAX_YEARS_AGO)
    except ValueError:  # 29 February
        return today.replace(year=today.year - MAX_YEARS_AGO, day=28)


def date_of_death_errors(value: Any, date_of_birth: Any, today: dt.date) -> list[Error]:
    """A real date, not in the future, not before the date of birth, at most two years ago."""
    field = "date_of_death"
    if value is None or value == "":
        return [(field, Message("Enter the date of death"))]
    died = parse_date(value)
    if died is None:
        return [(field, Message("Date of death must be a real date, like 2026-11-20"))]
    if died > today:
        return [(field, Message("Date of death must be today or in the past"))]
    born = parse_date(date_of_birth)
    if born is not None and died < born:
        return [(field, Message("Date of death must be on or after the date of birth"))]
    if died < two_years_before(today):
        return [(field, Message("Date of death must be within the last {years} years", years=MAX_YEARS_AGO))]
    return []


def normalise_informant(informant: Any) -> Any:
    if not isinstance(informant, Mapping):
        return informant
    relationship = informant.get("relationship")
    person = normalise_person({k: v for k, v in informant.items() if k != "relationship"})
    if relationship is not None:
        person["relationship"] = relationship.strip() if isinstance(relationship, str) else relationship
    return person


def informant_errors(informant: Any, today: dt.date | None = None) -> list[Error]:
    """Names, a relationship and at least one way to reach them; nothing else (already normalised)."""
    if not isinstance(informant, Mapping):
        return [("informant", Message("Say who is telling: their name, relationship and a way to reach them"))]
    errors: list[Error] = []
    for key in informant:
        if key not in INFORMANT_FIELDS:
            errors.append((f"informant.{key}", Message(
                "{field} is not sent about the person telling", field=str(key))))
    for name in INFORMANT_NAMES:
        value = informant.get(name)
        problems = field_errors(name, value, informant, today) if value not in (None, "") else [
            (name, Message("Enter the given names and family name of the person telling"))]
        errors += [(f"informant.{field}", message) for field, message in problems]
    relationship = informant.get("relationship")
    if relationship not in RELATIONSHIPS:
        errors.append(("informant.relationship", Message(
            "Choose how the person telling was related to the person who died: one of {choices}",
            choices=", ".join(RELATIONSHIPS))))
    contacts = [name for name in INFORMANT_CONTACTS if informant.get(name) not in (None, "", {})]
    if not contacts:
        errors.append(("informant", Message(
            "Give at least one way to reach the person telling: an address, email address or phone number")))
    for name in contacts:
        errors += [(f"informant.{field}", message)
                   for field, message in field_errors(name, informant[name], informant, today)]
    return errors


def minimal_informant(person: Mapping[str, Any], relationship: str) -> dict[str, Any]:
    """What the informant's own details may say (section 8): names, relationship, ways to reach them.

    Never their own identifiers or date of birth.
    """
    informant: dict[str, Any] = {name: person[name] for name in INFORMANT_NAMES if person.get(name)}
    informant["relationship"] = relationship
    for name in INFORMANT_CONTACTS:
        if person.get(name) not in (None, "", {}):
            informant[name] = person[name]
    return informant


def same_name(a: Any, b: Any) -> bool:
    """Family names compared as a registrar would: case and spacing do not matter."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def register_disagreements(deceased: Mapping[str, Any], date_of_death: Any,
                           register: Mapping[str, Any], prefix: str = "deceased.") -> list[Error]:
    """Where these details disagree with what the register holds, in the register's own words."""
    errors: list[Error] = []
    held = register.get("deceased") or {}
    family = deceased.get("family_name")
    if family is not None and not same_name(family, held.get("family_name")):
        errors.append((f"{prefix}family_name", Message(
            "The family name does not match the register of deaths for this registration, "
            "which holds {value}", value=str(held.get("family_name")))))
    born = deceased.get("date_of_birth")
    if born is not None and held.get("date_of_birth") is not None and born != held.get("date_of_birth"):
        errors.append((f"{prefix}date_of_birth", Message(
            "The date of birth does not match the register of deaths for this registration, "
            "which holds {value}", value=str(held.get("date_of_birth")))))
    if date_of_death is not None and date_of_death != register.get("date_of_death"):
        errors.append(("date_of_death", Message(
            "The date of death does not match the register of deaths for this registration, "
            "which holds {value}", value=str(register.get("date_of_death")))))
    return errors
