"""Telling once: what each service will receive, the citizen's consent, frozen payloads.

``plan_tell`` works out, for one event and the chosen services, the exact
body each service will receive (its catalogue ``requires`` + ``accepts`` fields
that the profile has, and never another) and who will not be told and why.
``commit_tell`` writes every delivery of the tell in ONE transaction, each with
a fresh Idempotency-Key and its frozen bytes, sent unchanged on every try.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from exchange.death import EVENT as DEATH
from exchange.vocabulary import FIELDS, N_, visible
from portal.catalogue import Catalogue, Service
from portal.errors import PortalError
from portal.i18n import translator
from portal.store import PENDING, DeliveryState, Profile, Store, utc_now
from portal.wording import NP_, SERVICE_NOT_TAKEN, field_list, join_list, needs_sentence, service_name

EVENTS: dict[str, str] = {
    "profile_shared": N_("sharing your details for the first time"),
    "change_of_address": N_("your change of address"),
    "change_of_name": N_("your change of name"),
    "change_of_contact": N_("your new contact details"),
    "death": N_("a death"),
}
CHANGES = tuple(event for event in EVENTS if event != "death")  # what plan_tell tells (a death: portal/death.py)
# The consent statement: one whole sentence per event, in the first person, for each language to
# word as its grammar wants; {fields} is the list of what is sent, built below.
CONSENT_SENTENCES: dict[str, str] = {
    "change_of_address": N_("I agree that Tell Us Once sends {service} {fields}, for my change of address "
                            "from {date}."),
    "change_of_name": N_("I agree that Tell Us Once sends {service} {fields}, for my change of name from {date}."),
    "change_of_contact": N_("I agree that Tell Us Once sends {service} {fields}, for my new contact details "
                            "from {date}."),
    "profile_shared": N_("I agree that Tell Us Once sends {service} {fields}, to share my details for the "
                         "first time."),
}
FIRST_ITEM, LATER_ITEM = "consent: first in the list", "consent: later in the list"
# Each item of the consent's list, first and later: English says "my" once ("my name, date of birth
# and new address"); Welsh ("fy enw, fy nyddiad geni"), French, German and Norwegian repeat their
# possessive, agreeing with each noun, so each language words every item whole,
# first and later apart.
FIRST_ITEMS: dict[str, str] = {
    "name": NP_("consent: first in the list", "my name"),
    "given_names": NP_("consent: first in the list", "my given names"),
    "family_name": NP_("consent: first in the list", "my family name"),
    "date_of_birth": NP_("consent: first in the list", "my date of birth"),
    "nino": NP_("consent: first in the list", "my National Insurance number"),
    "nhs_number": NP_("consent: first in the list", "my NHS number"),
    "driving_licence_number": NP_("consent: first in the list", "my driving licence number"),
    "passport_number": NP_("consent: first in the list", "my passport number"),
    "email": NP_("consent: first in the list", "my email address"),
    "phone": NP_("consent: first in the list", "my phone number"),
    "address": NP_("consent: first in the list", "my address"),
    "new_address": NP_("consent: first in the list", "my new address"),
}
LATER_ITEMS: dict[str, str] = {
    "name": NP_("consent: later in the list", "name"),
    "given_names": NP_("consent: later in the list", "given names"),
    "family_name": NP_("consent: later in the list", "family name"),
    "date_of_birth": NP_("consent: later in the list", "date of birth"),
    "nino": NP_("consent: later in the list", "National Insurance number"),
    "nhs_number": NP_("consent: later in the list", "NHS number"),
    "driving_licence_number": NP_("consent: later in the list", "driving licence number"),
    "passport_number": NP_("consent: later in the list", "passport number"),
    "email": NP_("consent: later in the list", "email address"),
    "phone": NP_("consent: later in the list", "phone number"),
    "address": NP_("consent: later in the list", "address"),
    "new_address": NP_("consent: later in the list", "new address"),
}
MAX_DAYS_BACK = 365
MAX_DAYS_AHEAD = 92  # three months


class TellRefused(PortalError):
    """The tell cannot go ahead; ``errors`` lists every reason as (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class Preview:
    """Exactly what one service will receive, and the words the citizen agrees to."""

    service: Service
    person: dict[str, Any]
    statement: str

    @property
    def fields(self) -> list[str]:
        return list(self.person)


@dataclass(frozen=True)
class NotTold:
    service: Service
    reason: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class TellPlan:
    event: str
    effective_date: str | None
    previews: list[Preview] = field(default_factory=list)
    not_told: list[NotTold] = field(default_factory=list)
    language: str = "en"


def describe_fields(names: list[str], language: str = "en") -> str:
    """'given names, family name and National Insurance number', in the language (portal.wording)."""
    return field_list(names, language)


def consent_items(event: str, fields: list[str]) -> list[str]:
    """The consent list's items: given and family names together as "name"; the address new on a move."""
    items = [("name" if name == "given_names" and "family_name" in fields else
              "new_address" if name == "address" and event == "change_of_address" else name)
             for name in fields if not (name == "family_name" and "given_names" in fields)]
    return list(dict.fromkeys(items))


def consent_fields(event: str, fields: list[str], language: str = "en") -> str:
    """"my name, date of birth and new address" in the language, joined as the language joins a list
    (portal.wording.join_list: Babel's pattern, Welsh "a"/"ac" and its mutation)."""
    words = [translator.pgettext(FIRST_ITEM, FIRST_ITEMS[item], language) if index == 0
             else translator.pgettext(LATER_ITEM, LATER_ITEMS[item], language)
             for index, item in enumerate(consent_items(event, fields))]
    return join_list(words, language)


def consent_statement(service: Service, event: str, fields: list[str], effective_date: str | None,
                      language: str = "en") -> str:
    """The exact words the citizen agrees to, in the language they read them in.

    Only the words: the language they were given in is kept beside them (the tell's
    ``language``, shown in the audit), never as a tag inside them.
    """
    words = translator.gettext(CONSENT_SENTENCES[event], language)
    date = translator.format_date(effective_date, language) if effective_date else ""
    return words.format(service=service_name(service.name, language),
                        fields=consent_fields(event, fields, language), date=date)


def sentence_in(language: str, template: str, **params: str) -> str:
    """A sentence of this module in the citizen's language."""
    return translator.gettext(template, language).format(**params)


def check_effective_date(event: str, effective_date: str | dt.date | None, today: dt.date,
                         language: str = "en") -> tuple[str | None, list[tuple[str, str]]]:
    """The date to send (None for profile_shared), and any problem with it."""
    if event == "profile_shared":
        if effective_date:
            return None, [("effective_date", sentence_in(
                language, N_("Leave out the date when sharing your details for the first time")))]
        return None, []
    if effective_date is None or effective_date == "":
        return today.isoformat(), []
    try:
        when = effective_date if isinstance(effective_date, dt.date) else dt.date.fromisoformat(effective_date)
    except ValueError:
        return None, [("effective_date", sentence_in(
            language, N_("The date the change took effect must be a real date")))]
    if when < today - dt.timedelta(days=MAX_DAYS_BACK):
        return None, [("effective_date", sentence_in(
            language, N_("The date the change took effect must be within the last year")))]
    if when > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        return None, [("effective_date", sentence_in(
            language, N_("The date the change takes effect must be within the next 3 months")))]
    return when.isoformat(), []


NONE_CAN_BE_TOLD_OF_A_DEATH = N_("None of these services can be told about this death yet: {reasons}")
NONE_CAN_BE_TOLD_OF_A_CHANGE = N_("None of these services can be told about this change yet: {reasons}")
# For a death, what a service needs is of the person who died (``person`` is the deceased).
NEEDS_OF_THE_DECEASED = N_("{service} needs the {fields} of the person who died.")


def blank(value: Any) -> bool:
    return value in (None, "", {})


def receives(service: Service, event: str, person: dict[str, Any]) -> dict[str, Any]:
    """What of ``person`` the service may have for this event: its requires + accepts (death's own for a
    death) that the person has, in the catalogue's order, and never another field."""
    names = service.death_fields if event == DEATH else service.fields
    return {name: person[name] for name in names if name in FIELDS and not blank(person.get(name))}


def why_not_told(service: Service, event: str, person: dict[str, Any], language: str | None = None) -> NotTold | None:
    """The one decision of who can be told: None when ``service`` can be told of ``event`` with what
    ``person`` holds (the deceased, for a death); else why not, in the citizen's language, with the
    fields they could add. `plan_tell`, `plan_death`, the command line and the screens all ask this."""
    language = language or translator.language
    name = service_name(service.name, language)
    if event not in service.events:
        return NotTold(service, sentence_in(language, SERVICE_NOT_TAKEN[event], service=name))
    requires = service.death_requires if event == DEATH else service.requires
    unknown = [field_name for field_name in requires if field_name not in FIELDS]
    if unknown:
        # A department asking for something this app has never heard of: it cannot be told,
        # and the citizen is told why (the names are the catalogue's, shown escaped).
        return NotTold(service, sentence_in(
            language, N_("{service} asks for details this app does not know ({fields}), so it cannot be told."),
            service=name, fields=", ".join(visible(n) for n in unknown)))
    missing = tuple(field_name for field_name in requires if blank(person.get(field_name)))
    if missing:
        reason = (sentence_in(language, NEEDS_OF_THE_DECEASED, service=name,
                              fields=describe_fields(list(missing), language)) if event == DEATH
                  else needs_sentence(list(missing), name, language))
        return NotTold(service, reason, missing)
    if event != DEATH and not receives(service, event, person):  # a death's body always holds the register's
        return NotTold(service, sentence_in(language, N_("{service} would receive none of your details"),
                                            service=name))
    return None


def who_can_be_told(catalogue: Catalogue, event: str, person: dict[str, Any],
                    language: str | None = None) -> tuple[list[Service], list[NotTold]]:
    """Every service in the catalogue: those that can be told, and those that cannot with why (why_not_told)."""
    can: list[Service] = []
    cannot: list[NotTold] = []
    for service in catalogue.services:
        refusal = why_not_told(service, event, person, language)
        if refusal is None:
            can.append(service)
        else:
            cannot.append(refusal)
    return can, cannot


@dataclass(frozen=True)
class Chosen:
    """The services a citizen chose, decided: each told with what it receives, or not told and why."""

    told: list[tuple[Service, dict[str, Any]]]
    not_told: list[NotTold]
    errors: list[tuple[str, str]]


def choose(catalogue: Catalogue, event: str, person: dict[str, Any], services: str | list[str],
           language: str) -> Chosen:
    """``services`` is "all" (every service that can be told is; the rest are listed as not told) or a
    list of ids (each must be one that can be told: any other is an error naming why)."""
    chosen = [s.id for s in catalogue.services] if services == "all" else list(services)
    errors = [] if chosen else [("services", sentence_in(language, N_("Choose at least one service to tell")))]
    told: list[tuple[Service, dict[str, Any]]] = []
    not_told: list[NotTold] = []
    for service_id in dict.fromkeys(chosen):
        service = catalogue.get(service_id)
        if service is None:
            errors.append((f"services.{service_id}", sentence_in(
                language, N_("There is no service called {service}"), service=service_id)))
            continue
        refusal = why_not_told(service, event, person, language)
        if refusal is None:
            told.append((service, receives(service, event, person)))
        elif services == "all":
            not_told.append(refusal)
        else:
            errors.append((f"services.{service.id}", refusal.reason))
    if not errors and not told:
        none = NONE_CAN_BE_TOLD_OF_A_DEATH if event == DEATH else NONE_CAN_BE_TOLD_OF_A_CHANGE
        errors.append(("services", sentence_in(language, none, reasons=" ".join(n.reason for n in not_told))))
    return Chosen(told, not_told, errors)


def plan_tell(profile: Profile | None, catalogue: Catalogue, event: str, services: str | list[str],
              effective_date: str | dt.date | None = None, today: dt.date | None = None,
              language: str | None = None) -> TellPlan:
    """The preview of one tell; raises TellRefused naming every problem.

    ``services`` is "all" or a list of ids, decided by ``choose`` (who can be told: ``why_not_told``).
    """
    today = today or dt.date.today()
    language = language or translator.language
    if event not in EVENTS or event == DEATH:  # a death is told through portal/death.py
        raise TellRefused([("event", sentence_in(language, N_("Choose what changed: one of {events}"),
                                                 events=", ".join(EVENTS)))])
    if profile is None:
        raise TellRefused([("profile", sentence_in(language, N_("Enter your details first")))])
    when, errors = check_effective_date(event, effective_date, today, language)
    chosen = choose(catalogue, event, profile.person, services, language)
    errors += chosen.errors
    if errors:
        raise TellRefused(errors)
    previews = [Preview(service, body, consent_statement(service, event, list(body), when, language))
                for service, body in chosen.told]
    return TellPlan(event, when, previews, chosen.not_told, language)


def frozen_body(plan: TellPlan, preview: Preview, given_at: str) -> bytes:
    """The exact bytes a service receives, the same on every try."""
    body: dict[str, Any] = {"event": plan.event}
    if plan.effective_date:
        body["effective_date"] = plan.effective_date
    body["person"] = preview.person
    body["consent"] = {"given_at": given_at, "statement": preview.statement}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def commit_tell(store: Store, plan: TellPlan) -> list[str]:
    """The citizen agreed: queue one delivery per service, all in ONE transaction. Returns their ids."""
    given_at = utc_now()
    tell = {"id": str(uuid.uuid4()), "event": plan.event, "effective_date": plan.effective_date,
            "created_at": given_at, "language": plan.language}
    rows = queued_rows(plan.event, plan.previews, given_at)
    store.add_tell(tell, rows, [frozen_body(plan, preview, given_at) for preview in plan.previews])
    return [row["id"] for row in rows]


def queued_rows(event: str, previews: list, given_at: str) -> list[dict[str, Any]]:
    """One outbox row per preview (a tell's or a death's): a fresh id and Idempotency-Key, the names of
    the fields it receives and the words agreed to, due now."""
    return [{"id": str(uuid.uuid4()), "service": preview.service.id, "event": event,
             "idempotency_key": str(uuid.uuid4()), "fields": json.dumps(preview.fields),
             "consent_statement": preview.statement, "consent_given_at": given_at,
             "state": DeliveryState.QUEUED, "attempts": 0, "due_at": 0.0, "created_at": given_at}
            for preview in previews]


# What each event changes: a service already told these same values learns nothing new.
CHANGED_FIELDS: dict[str, tuple[str, ...]] = {
    "change_of_address": ("address",),
    "change_of_name": ("given_names", "family_name"),
    "change_of_contact": ("email", "phone"),
}


@dataclass(frozen=True)
class AlreadyTold:
    """A service that was last told exactly these new values (``when``: that tell's instant)."""

    service: Service
    when: str


def already_told(store: Store, plan: TellPlan) -> list[AlreadyTold]:
    """The services in ``plan`` whose last notification carried the same new value(s): warn first.

    Compares with the last notification each service received or has waiting (never a
    replaced or refused one), opening its frozen body; a service never told is not listed.
    """
    changed = CHANGED_FIELDS.get(plan.event)
    if not changed:
        return []
    found = []
    for preview in plan.previews:
        wanted = {name: preview.person.get(name) for name in changed if name in preview.person}
        if not wanted:
            continue
        last = next((row for row in reversed(store.deliveries(preview.service.id))
                     if row.state in (DeliveryState.DELIVERED, *PENDING)), None)
        if last is None:
            continue
        told = json.loads(store.open_body(store.delivery(last.id))).get("person", {})
        if all(told.get(name) == value for name, value in wanted.items()):
            found.append(AlreadyTold(preview.service, last.when))
    return found
