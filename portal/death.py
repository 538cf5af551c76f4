"""When someone has died (CONTRACT section 8): the register, the case, what each service receives.

The person who died is not the citizen. Their details live in a *case* of
their own, sealed like the profile and never merged into it; the case is
deleted once every delivery of its tell has ended and the citizen has seen the
receipts, or when the citizen asks (``forget``). The citizen is the
*informant*: of their profile only their names, their relationship to the
person who died and the ways to reach them are sent, never their identifiers.

    read_register(session, "7k3p 9qx2 m4td")   -> RegisterAnswer (what the register holds)
    check_case(...)                            -> DeathCase, or every problem
    plan_death(profile, catalogue, case, ...)  -> DeathPlan: per service, the exact body
    commit_death(store, plan)                  -> the case and its deliveries, in one transaction
    ended_cases(store) / forget(store, id)     -> receipts, then the case gone
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exchange.death import (
    EVENT,
    RELATIONSHIPS,
    clean_deceased,
    date_of_death_errors,
    informant_errors,
    minimal_informant,
    normalise_registration,
    register_disagreements,
    registration_errors,
)
from exchange.vocabulary import N_
from portal.catalogue import Catalogue, Service
from portal.i18n import translator
from portal.session import NotSignedIn, Offline, Session
from portal.store import ENDED, DeliveryState, Profile, Store, utc_now
from portal.telling import NotTold, TellRefused, choose, describe_fields, queued_rows, sentence_in
from portal.wording import service_name

if TYPE_CHECKING:
    import requests  # imported when the register is read: `status` never loads it


REGISTER_TIMEOUT = (3.05, 10)
DEATH_CONSENT = N_("I agree that Tell Us Once tells {service} about this death, with the registration reference, "
                   "the date of death and their {fields}, and my name, how I was related to them and how to "
                   "contact me.")


# -- the register


@dataclass(frozen=True)
class RegisterAnswer:
    """``found`` (with ``record``), ``not_found``, ``malformed``, ``offline`` or ``signed_out``."""

    outcome: str
    record: dict[str, Any] | None = None
    words: str = ""


def read_register(session: Session, reference: str) -> RegisterAnswer:
    """GET /v1/registrations/{reference} with the informant's token (refreshed once on a 401)."""
    import requests

    normalised = normalise_registration(reference)
    if registration_errors(normalised):
        return RegisterAnswer("malformed")
    url = f"{session.api_url}/v1/registrations/{urllib.parse.quote(normalised, safe='')}"
    stale = None
    for _ in range(2):
        try:
            token = session.access_token() if stale is None else session.refresh(stale=stale)
        except NotSignedIn as error:
            return RegisterAnswer("signed_out", words=str(error))
        except Offline as error:
            return RegisterAnswer("offline", words=str(error))
        try:
            response = session.http.get(url, headers={"Authorization": f"Bearer {token}"},
                                        timeout=REGISTER_TIMEOUT, allow_redirects=False)
        except requests.RequestException:
            return RegisterAnswer("offline")
        if response.status_code == 401 and stale is None:
            stale = token
            continue
        break
    return _register_answer(response)


def _register_answer(response: requests.Response) -> RegisterAnswer:
    """What the register's answer means: its record, not found, malformed, signed out, or not reached."""
    if response.status_code == 200:
        try:
            record = response.json()
        except ValueError:
            return RegisterAnswer("offline")
        if isinstance(record, dict) and isinstance(record.get("deceased"), dict):
            return RegisterAnswer("found", record)
        return RegisterAnswer("offline")
    if response.status_code == 404:
        return RegisterAnswer("not_found")
    if response.status_code == 422:
        return RegisterAnswer("malformed")
    if response.status_code == 401:
        return RegisterAnswer("signed_out")
    return RegisterAnswer("offline", words=f"error {response.status_code}")


# -- the case


@dataclass(frozen=True)
class DeathCase:
    registration: str
    deceased: dict[str, Any]
    date_of_death: str
    relationship: str
    # Whether the register was read when the case was prepared (offline: the services check it).
    register_checked: bool = False

    def to_bytes(self) -> bytes:
        return json.dumps({"registration": self.registration, "deceased": self.deceased,
                           "date_of_death": self.date_of_death, "relationship": self.relationship,
                           "register_checked": self.register_checked}, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> DeathCase:
        return cls(**json.loads(data))


def register_message(outcome: str, reference: str, language: str) -> str:
    if outcome == "not_found":
        return sentence_in(language, N_("There is no registered death with the reference {reference}. Check the "
                                        "reference on the certificate the registrar gave you."), reference=reference)
    return sentence_in(language, N_("Enter the registration reference in the correct format: 12 letters and numbers, "
                                    "like 7K3P-9QX2-M4TD"))


def check_case(deceased: dict[str, Any], registration: str, relationship: str, date_of_death: str | None,
               register: dict[str, Any] | None, today: dt.date | None = None,
               language: str | None = None) -> tuple[DeathCase | None, list[tuple[str, str]]]:
    """The case to tell, or every problem with it, fields named as the command line names them.

    With ``register`` (what the register holds), the deceased's family name and
    date of birth must agree with it, what the details lack is taken from it,
    and the date of death is the register's. Without it (offline), the date of
    death must be given.
    """
    today = today or dt.date.today()
    language = language or translator.language
    errors: list[tuple[str, str]] = []
    reference = normalise_registration(registration)
    errors += registration_errors(reference)
    if relationship not in RELATIONSHIPS:
        errors.append(("relationship", sentence_in(
            language, N_("Choose how you were related to the person who died: one of {choices}"),
            choices=", ".join(RELATIONSHIPS))))
    merged = dict(deceased)
    if register is not None:
        for name, value in (register.get("deceased") or {}).items():
            merged.setdefault(name, value)
    person, person_errors = clean_deceased(merged, today=today)
    errors += person_errors
    when = date_of_death
    if register is not None:
        errors += register_disagreements(person, date_of_death, register)
        when = register.get("date_of_death")
    elif not date_of_death:
        errors.append(("date_of_death", sentence_in(
            language, N_("Enter the date of death: the register cannot be checked while you are offline"))))
    if when:
        errors += date_of_death_errors(when, person.get("date_of_birth"), today)
    if errors:
        return None, errors
    return DeathCase(reference, person, str(when), relationship, register is not None), []


# -- what each service receives


@dataclass(frozen=True)
class DeathPreview:
    service: Service
    deceased: dict[str, Any]
    informant: dict[str, Any]
    statement: str

    @property
    def fields(self) -> list[str]:
        """The names of every field this service receives (for the audit: names, never values)."""
        return (["registration", "date_of_death"] + [f"deceased.{name}" for name in self.deceased]
                + [f"informant.{name}" for name in self.informant])


@dataclass(frozen=True)
class DeathPlan:
    case: DeathCase
    previews: list[DeathPreview] = field(default_factory=list)
    not_told: list[NotTold] = field(default_factory=list)
    language: str = "en"
    event: str = EVENT


def death_statement(service: Service, fields: list[str], language: str) -> str:
    """The words the informant agrees to, in their language and tagged with it, as for any tell.

    They name no one: the consent words are kept in the clear, the case is sealed.
    """
    text = translator.gettext(DEATH_CONSENT, language).format(
        service=service.name, fields=describe_fields(fields, language))
    return f"{text} [{language}]"


def informant_for(profile: Profile | None, relationship: str,
                  language: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    if profile is None:
        return {}, [("profile", sentence_in(language, N_("Enter your details first")))]
    informant = minimal_informant(profile.person, relationship)
    problems = informant_errors(informant)
    if any(name == "informant" for name, _ in problems):
        return informant, [("profile", sentence_in(language, N_(
            "Add a way to reach you to your details first: an address, email address or phone number")))]
    if problems:
        return informant, [("profile", sentence_in(language, N_("Enter your details first")))]
    return informant, []


def plan_death(profile: Profile | None, catalogue: Catalogue, case: DeathCase, services: str | list[str],
               language: str | None = None) -> DeathPlan:
    """Per service, the exact body; raises TellRefused naming every problem.

    ``services`` is "all" or a list of ids, decided by telling's ``choose`` as any tell is, on what the
    case holds of the person who died.
    """
    language = language or translator.language
    informant, errors = informant_for(profile, case.relationship, language)
    chosen = choose(catalogue, EVENT, case.deceased, services, language)
    errors += chosen.errors
    if errors:
        raise TellRefused(errors)
    previews = [DeathPreview(service, deceased, informant, death_statement(service, list(deceased), language))
                for service, deceased in chosen.told]
    return DeathPlan(case, previews, chosen.not_told, language)


def frozen_death_body(plan: DeathPlan, preview: DeathPreview, given_at: str) -> bytes:
    """The exact bytes a service receives, the same on every try."""
    body = {"event": EVENT, "registration": plan.case.registration, "date_of_death": plan.case.date_of_death,
            "deceased": preview.deceased, "informant": preview.informant,
            "consent": {"given_at": given_at, "statement": preview.statement}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def commit_death(store: Store, plan: DeathPlan) -> list[str]:
    """The informant agreed: the sealed case and one delivery per service, in ONE transaction."""
    given_at = utc_now()
    tell = {"id": str(uuid.uuid4()), "event": EVENT, "effective_date": None, "created_at": given_at,
            "language": plan.language}
    rows = queued_rows(EVENT, plan.previews, given_at)
    store.add_death_tell(str(uuid.uuid4()), plan.case.to_bytes(), tell, rows,
                         [frozen_death_body(plan, preview, given_at) for preview in plan.previews])
    return [row["id"] for row in rows]


# -- after: receipts, then the case is gone


@dataclass(frozen=True)
class CaseReceipt:
    service: str
    state: DeliveryState
    reference: str | None
    last_error: str | None


@dataclass(frozen=True)
class KeptCase:
    id: str
    tell_id: str
    ended: bool
    receipts: list[CaseReceipt]


def kept_cases(store: Store) -> list[KeptCase]:
    """Every case still kept, with its deliveries' outcomes (the case itself stays sealed)."""
    out = []
    for row in store.death_cases():
        receipts = [CaseReceipt(d.service, d.state, d.reference, d.last_error)
                    for d in store.deliveries() if d.tell_id == row["tell_id"]]
        out.append(KeptCase(row["id"], row["tell_id"], all(r.state in ENDED for r in receipts), receipts))
    return out


def ended_cases(store: Store) -> list[KeptCase]:
    return [case for case in kept_cases(store) if case.ended]


def open_case(store: Store, case_id: str) -> DeathCase | None:
    row = next((r for r in store.death_cases() if r["id"] == case_id), None)
    return DeathCase.from_bytes(store.open_death_case(row)) if row else None


def forget(store: Store, case_id: str) -> bool:
    """The citizen saw the receipts, or asked: the case and its ended deliveries' bodies are gone."""
    return store.forget_death_case(case_id)


# -- what the screens say (plain data, translated where shown)

# What each service does when told, after GOV.UK's "Tell Us Once" page; a service the app
# does not know is described by the generic words.
SERVICE_DOES: dict[str, str] = {
    "hmrc": N_("Deals with their personal tax. Contact HMRC yourself about any business taxes."),
    "dwp": N_("Stops State Pension and benefits payments, such as Universal Credit."),
    "dvla": N_("Cancels their driving licence and removes them as the keeper of their vehicles."),
    "hmpo": N_("Cancels their British passport."),
    "council": N_("Stops Council Tax Reduction and Housing Benefit, cancels a Blue Badge and removes them "
                  "from the electoral register."),
    "nhs": N_("Updates their NHS record and tells their GP practice."),
}
SERVICE_DOES_ANY = N_("Records the death.")
# The identifiers an informant may have from the person's documents, in the order asked.
DOCUMENT_FIELDS = ("nino", "nhs_number", "driving_licence_number", "passport_number")
PERSON_SUMMARY = N_("{name}, born {born}, died {died}")


def service_does(service_id: str, language: str | None = None) -> str:
    return translator.gettext(SERVICE_DOES.get(service_id, SERVICE_DOES_ANY), language)


def join_names(names: list[str], language: str) -> str:
    """'a, b and c' in the language (portal.wording's lists, Welsh mutation included)."""
    from portal.wording import join_list

    return join_list(names, language)


def needed_by(catalogue: Catalogue, name: str, language: str | None = None) -> str:
    """'Needed by HM Revenue & Customs and Department for Work and Pensions.' for one identifier."""
    language = language or translator.language
    services = [service_name(s.name, language) for s in catalogue.services
                if EVENT in s.events and name in s.death_requires]
    if not services:
        return ""
    return translator.gettext(N_("Needed by {services}."), language).format(services=join_names(services, language))


def person_summary(deceased: dict[str, Any], date_of_death: str, language: str | None = None) -> str:
    """'Yusuf Haddad, born 2 June 1950, died 23 November 2026', as the register holds it."""
    language = language or translator.language
    name = " ".join(str(deceased.get(part, "")) for part in ("given_names", "family_name")).strip()
    born = translator.format_date(deceased["date_of_birth"], language) if deceased.get("date_of_birth") else "?"
    died = translator.format_date(date_of_death, language) if date_of_death else "?"
    return translator.gettext(PERSON_SUMMARY, language).format(name=name, born=born, died=died)


def forget_tell(store: Store, tell_id: str) -> bool:
    """The case of one tell, forgotten (the death progress screen knows the tell, not the case)."""
    case = next((row for row in store.death_cases() if row["tell_id"] == tell_id), None)
    return forget(store, case["id"]) if case else False


def sent_field_label(name: str, language: str | None = None) -> str:
    """A field name as the audit keeps it ("deceased.nino", "informant.email"), as a citizen reads it."""
    from exchange.vocabulary import LABELS

    words = {"registration": N_("Registration reference"), "date_of_death": N_("Date of death"),
             "informant.relationship": N_("How you were related")}
    if name in words:
        return translator.gettext(words[name], language)
    prefix, _, field_name = name.partition(".")
    if prefix == "deceased" and field_name in LABELS:
        return translator.gettext(N_("{field} of the person who died"), language).format(
            field=translator.gettext(LABELS[field_name], language))
    if prefix == "informant" and field_name in LABELS:
        return translator.gettext(LABELS[field_name], language)
    return translator.gettext(LABELS.get(name, name), language)


def register_check(store: Store, session: Session, tell_id: str) -> str | None:
    """Before a death told offline is sent: the register read now. Its words when it disagrees (or has no
    such registration), so nothing of the person goes to a service that would refuse it; None when the
    case agrees, was checked already, is gone, or the register cannot be reached (the service checks it)."""
    row = next((r for r in store.death_cases() if r["tell_id"] == tell_id), None)
    if row is None:
        return None
    case = DeathCase.from_bytes(store.open_death_case(row))
    if case.register_checked:
        return None
    answer = read_register(session, case.registration)
    if answer.outcome in ("not_found", "malformed"):
        return register_message(answer.outcome, case.registration, "en")
    if answer.outcome != "found":
        return None
    problems = register_disagreements(case.deceased, case.date_of_death, answer.record)
    if problems:
        return " ".join(str(message) for _field, message in problems)
    store.reseal_death_case(row["id"], DeathCase(**{**case.__dict__, "register_checked": True}).to_bytes())
    return None
