"""`tell death` for testers and scripts (README), and the receipts that end a case.

    python main.py ... tell death --registration REF --deceased FILE --relationship REL
                                  [--date-of-death YYYY-MM-DD] --services all|ID,ID [--yes]

Online, the register is read first: an unknown or malformed reference, or
details that disagree with it, are exit 2 naming the field, and nothing is
queued. Offline, ``--date-of-death`` is required and the services check the
register when the notifications reach them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from exchange.death import DECEASED_MISSING, RELATIONSHIPS, normalise_registration, registration_errors
from exchange.vocabulary import MISSING, parse_date
from portal.commands import (
    EXIT_BAD_INPUT,
    EXIT_INCOMPLETE,
    EXIT_OK,
    agreed,
    chosen_services,
    print_errors,
    print_previews,
    read_person_file,
)
from portal.core import Portal
from portal.death import (
    DeathPlan,
    DeathPreview,
    check_case,
    commit_death,
    ended_cases,
    forget,
    plan_death,
    read_register,
    register_message,
)
from portal.store import DeliveryState
from portal.telling import TellRefused, describe_fields


def print_death_plan(plan: DeathPlan, out: TextIO) -> None:
    def lines(preview: DeathPreview) -> list[tuple[str, object]]:
        return ([("Registration reference", plan.case.registration), ("Date of death", plan.case.date_of_death)]
                + [(f"Their {describe_fields([name], 'en')}", value) for name, value in preview.deceased.items()]
                + [("Your relationship to them" if name == "relationship" else f"Your {describe_fields([name], 'en')}",
                    value) for name, value in preview.informant.items()])

    print_previews([(preview.service, lines(preview), preview.statement) for preview in plan.previews],
                   plan.not_told, out)


def their_words(name: str, message: str) -> str:
    """"Enter their family name" for the person who died, where the vocabulary says "your"."""
    return DECEASED_MISSING[name] if name in DECEASED_MISSING and str(message) == str(MISSING.get(name)) else message


def first_problems(registration: str | None, deceased_file: Path | None, relationship: str | None,
                   date_of_death: str | None, effective_date: str | None) -> tuple[dict, list[tuple[str, str]]]:
    """Everything that can be checked before the network: the options and the file."""
    errors: list[tuple[str, str]] = []
    if not registration:
        errors.append(("registration", "Enter the registration reference with --registration, like 7K3P-9QX2-M4TD"))
    else:
        errors += registration_errors(normalise_registration(registration))
    deceased: dict = {}
    if deceased_file is None:
        errors.append(("deceased", "Give the deceased's details with --deceased FILE (a JSON file)"))
    else:
        deceased, file_errors = read_person_file(deceased_file)
        errors += [("deceased", message) if name == "file" else (f"deceased.{name}", their_words(name, message))
                   for name, message in file_errors]
    if relationship not in RELATIONSHIPS:
        errors.append(("relationship", "Say how you were related to the person who died with --relationship, "
                                       f"one of {', '.join(RELATIONSHIPS)}"))
    if date_of_death is not None and parse_date(date_of_death) is None:
        errors.append(("date_of_death", "Date of death must be a real date, like 2026-11-20"))
    if effective_date is not None:
        errors.append(("effective_date", "Leave out --effective-date: a death is told with --date-of-death"))
    return deceased, errors


def tell_death(portal: Portal, registration: str | None, deceased_file: Path | None, relationship: str | None,
               date_of_death: str | None, services: str, yes: bool, stdin: TextIO, out: TextIO, err: TextIO,
               effective_date: str | None = None) -> int:
    deceased, errors = first_problems(registration, deceased_file, relationship, date_of_death, effective_date)
    if errors:
        return print_errors(errors, err)
    reference = normalise_registration(registration)
    answer = read_register(portal.session, reference)
    if answer.outcome in ("not_found", "malformed"):
        return print_errors([("registration", register_message(answer.outcome, reference, "en"))], err)
    register = answer.record if answer.outcome == "found" else None
    if register is None:
        why = "you are not signed in" if answer.outcome == "signed_out" else "the services cannot be reached"
        print(f"The register of deaths cannot be checked now ({why}): each service will check it when "
              "the notifications reach it.", file=err)
    case, errors = check_case(deceased, reference, relationship, date_of_death, register, language="en")
    if errors:
        return print_errors(errors, err)
    catalogue = portal.catalogue() if register is not None else portal.cached_catalogue()
    try:
        plan = plan_death(portal.store.current_profile(), catalogue, case, chosen_services(services), language="en")
    except TellRefused as refused:
        return print_errors(refused.errors, err)
    print_death_plan(plan, out)
    if not agreed(yes, stdin, out, "Nothing was sent, and nothing about the person who died was kept."):
        return EXIT_INCOMPLETE
    ids = commit_death(portal.store, plan)
    print(f"\nQueued {len(ids)} notification(s): {', '.join(p.service.id for p in plan.previews)}. "
          "`sync` sends them. The details of the person who died are kept, sealed, only until every "
          "service has answered and you have seen the references.", file=out)
    return EXIT_OK


def finish_cases(portal: Portal, out: TextIO) -> int:
    """Print the receipts of every case whose deliveries have all ended, then forget the case."""
    finished = ended_cases(portal.store)
    for case in finished:
        print("\nThe death you reported:", file=out)
        for receipt in case.receipts:
            if receipt.state == DeliveryState.DELIVERED:
                print(f"  {receipt.service}: told, reference {receipt.reference}", file=out)
            elif receipt.state == DeliveryState.NEEDS_ATTENTION:
                print(f"  {receipt.service}: not told: {receipt.last_error}", file=out)
        forget(portal.store, case.id)
        print("  The details of the person who died have now been deleted from this device.", file=out)
    return len(finished)


__all__ = ["EXIT_BAD_INPUT", "finish_cases", "tell_death"]
