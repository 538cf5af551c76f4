"""The headless commands behind ``python main.py ...``, for testers and scripts.

Each command takes what it needs, writes to the given streams and returns the
exit code: 0 done; 1 could not finish (network, timeout, not signed in);
2 bad input or usage, each problem on stderr as ``field: message``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any, TextIO

from exchange.vocabulary import FIELDS, LABELS, clean_person, loads_json, visible
from portal.catalogue import Service
from portal.core import Portal
from portal.display import one_line
from portal.errors import SealBroken
from portal.prefill import PrefillRefused, merge_government_details
from portal.recovery import details_open, start_again
from portal.session import NotSignedIn, Offline, SignInRefused
from portal.status import status  # noqa: F401 (every command reachable from this one module)
from portal.store import Delivery, DeliveryState, Store, utc_now
from portal.telling import NotTold, TellPlan, TellRefused, already_told, commit_tell, plan_tell

EXIT_OK, EXIT_INCOMPLETE, EXIT_BAD_INPUT = 0, 1, 2

# Keys a file may carry besides the person: what `profile show --json` adds.
IGNORED_ON_IMPORT = ("verified",)


def print_errors(errors: list[tuple[str, str]], err: TextIO) -> int:
    for field, message in errors:
        print(f"{visible(field)}: {visible(message)}", file=err)
    return EXIT_BAD_INPUT


def read_person_file(path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The person in a JSON file, normalised, and every problem with it."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}, [("file", f"There is no file at {path}")]
    except IsADirectoryError:
        return {}, [("file", f"{path} is a folder; choose a JSON file")]
    except OSError as error:
        return {}, [("file", f"{path} could not be read: {error.strerror}")]
    except UnicodeDecodeError:
        return {}, [("file", f"{path} is not a text file; save it as UTF-8 JSON")]
    try:
        data = loads_json(text)  # a 5,000-digit number is a field error, not Python's ValueError
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        return {}, [("file", f"{path} is not valid JSON{where}")]
    if not isinstance(data, dict):
        return {}, [("file", "The file must hold one person as a JSON object, like {\"given_names\": \"Amira\"}")]
    data = {key: value for key, value in data.items() if key not in IGNORED_ON_IMPORT}
    return clean_person(data)


START_AGAIN_HINT = ("To start again on this device, import your details with `profile import FILE` or "
                    "fetch them with `prefill`: what cannot be opened is then removed.")


def replace_unopenable(store: Store, out: TextIO) -> None:
    """Start again on this device when the saved details do not open, saying what goes (portal/recovery.py)."""
    if details_open(store):
        return
    started = start_again(store)
    print(f"Your saved details could not be opened on this device, so they are being replaced "
          f"({started.versions_removed} saved version(s) removed).", file=out)
    if started.deliveries_to_tell_again:
        print(f"{started.deliveries_to_tell_again} waiting notification(s) could not be opened and were not "
              f"sent: they need your attention (tell those services again).", file=out)


def profile_import(store: Store, path: Path, out: TextIO, err: TextIO) -> int:
    """Validate the whole file first; save a new version only when all of it is valid."""
    person, errors = read_person_file(path)
    if errors:
        return print_errors(errors, err)
    replace_unopenable(store, out)
    version = store.save_profile(person)
    print(f"Your details are saved (version {version}).", file=out)
    return EXIT_OK


def profile_as_json(store: Store) -> dict[str, Any] | None:
    profile = store.current_profile()
    if profile is None:
        return None
    return {**profile.person, "verified": list(profile.verified)}


def profile_show(store: Store, as_json: bool, out: TextIO, err: TextIO) -> int:
    try:
        profile = store.current_profile()
    except SealBroken as error:
        print(f"error: {error} {START_AGAIN_HINT}", file=err)
        return EXIT_INCOMPLETE
    if profile is None:
        print("profile: You have not entered your details yet. "
              "Use `profile import FILE` or `prefill` first.", file=err)
        return EXIT_INCOMPLETE
    if as_json:
        print(json.dumps(profile_as_json(store), indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    print(f"Your details (version {profile.version}, saved {profile.saved_at})", file=out)
    for name in FIELDS:
        if name not in profile.person:
            continue
        mark = "  (verified by government)" if name in profile.verified else ""
        print(f"  {LABELS[name]}: {visible(one_line(profile.person[name]))}{mark}", file=out)
    return EXIT_OK


# -- signing in and what government holds


def read_password(stdin: TextIO) -> str:
    """From the terminal without echo, or one line from a pipe."""
    if stdin.isatty():
        import getpass

        return getpass.getpass("Password: ")
    return stdin.readline().rstrip("\r\n")


def signin(portal: Portal, username: str, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    password = read_password(stdin)
    if not username.strip() or not password:
        return print_errors([("password", "Enter your password")] if username.strip()
                            else [("username", "Enter your username")], err)
    try:
        portal.session.sign_in(username.strip(), password)
    except SignInRefused as error:
        return print_errors([("password", str(error))], err)
    except Offline as error:
        print(f"error: {error}", file=err)
        return EXIT_INCOMPLETE
    portal.store.set_setting("online", True)
    waiting = portal.store.make_all_due(time.time())
    print(f"Signed in as {username.strip()}.", file=out)
    if waiting:
        print(f"{waiting} waiting notification(s) will be sent at the next sync.", file=out)
    return EXIT_OK


def signout(portal: Portal, out: TextIO) -> int:
    portal.session.sign_out()
    print("Signed out. Your sign-in tokens have been removed from this device.", file=out)
    return EXIT_OK


def prefill(portal: Portal, out: TextIO, err: TextIO) -> int:
    """GET /v1/me into the profile: government's values win, and are marked verified."""
    try:
        held = portal.session.me()  # fetched first: offline, nothing saved is touched
        replace_unopenable(portal.store, out)
        result = merge_government_details(portal.store, held)
    except (NotSignedIn, Offline) as error:
        print(f"error: {error}", file=err)
        return EXIT_INCOMPLETE
    except PrefillRefused as refused:
        return print_errors(refused.errors, err)
    print(f"Fetched what government holds: {len(result.offered)} detail(s), {len(result.verified)} verified "
          f"(version {result.version}).", file=out)
    for name in result.changed:
        print(f"  updated: {LABELS[name]}", file=out)
    for name in result.unused:
        print(f"  not used (government's copy is not valid): {visible(LABELS.get(name, name))}", file=out)
    return EXIT_OK


# -- telling


def print_previews(previews: list[tuple[Service, list[tuple[str, Any]], str]], not_told: list[NotTold],
                   out: TextIO) -> None:
    """Every service told, each line of what it will receive and the words agreed to; then who is not
    told and why. Names, values and reasons may come from a department: shown escaped (visible)."""
    for service, lines, statement in previews:
        print(f"\n{visible(service.name)} ({visible(service.id)}) will receive:", file=out)
        for label, value in lines:
            print(f"  {label}: {visible(one_line(value))}", file=out)
        print(f"  You agree: \"{visible(statement)}\"", file=out)
    if not_told:
        print("\nNot told:", file=out)
        for item in not_told:
            print(f"  {visible(item.service.name)} ({visible(item.service.id)}): {visible(item.reason)}", file=out)


def print_plan(plan: TellPlan, out: TextIO) -> None:
    print_previews([(preview.service, [(LABELS[name], value) for name, value in preview.person.items()],
                     preview.statement) for preview in plan.previews], plan.not_told, out)


def chosen_services(services: str) -> str | list[str]:
    """`--services all`, or the ids of `--services ID,ID` (blanks between commas ignored)."""
    return "all" if services.strip() == "all" else [s.strip() for s in services.split(",") if s.strip()]


def agreed(yes: bool, stdin: TextIO, out: TextIO, not_sent: str = "Nothing was sent.") -> bool:
    """`--yes`, or the citizen types yes after reading the plan; anything else says ``not_sent``."""
    if yes:
        return True
    print("\nSend these notifications? Type yes to agree: ", end="", file=out, flush=True)
    if stdin.readline().strip().lower() in ("y", "yes"):
        return True
    print(not_sent, file=out)
    return False


def tell(portal: Portal, event: str, services: str, effective_date: str | None, yes: bool,
         stdin: TextIO, out: TextIO, err: TextIO, today: dt.date | None = None) -> int:
    try:
        plan = plan_tell(portal.store.current_profile(), portal.cached_catalogue(), event, chosen_services(services),
                         effective_date, today)
    except TellRefused as refused:
        return print_errors(refused.errors, err)
    print_plan(plan, out)
    for told in already_told(portal.store, plan):  # the same new value again: say so before agreeing
        print(f"warning: {visible(told.service.name)} was already told this on {told.when[:10] or 'an earlier day'}. "
              "Sending it again tells them nothing new.", file=err)
    if not agreed(yes, stdin, out):
        return EXIT_INCOMPLETE
    ids = commit_tell(portal.store, plan)
    print(f"\nQueued {len(ids)} notification(s): "
          f"{visible(', '.join(p.service.id for p in plan.previews))}. `sync` sends them.", file=out)
    return EXIT_OK


def tell_death(*args: Any, **kwargs: Any) -> int:
    """`tell death`: portal/death_commands.py (apart, as the case it keeps is apart)."""
    from portal.death_commands import tell_death as command

    return command(*args, **kwargs)


def sync(portal: Portal, until_idle: bool, timeout: float, out: TextIO, err: TextIO,
         started: float | None = None) -> int:
    """`--timeout` is a deadline for the whole run, counted from ``started`` (time.monotonic(), the
    command's start): every call ends by then (portal/transport.py), waiting included."""
    # Up to 0.75 s (at most a quarter of it) is kept for writing down what happened and exiting.
    left = timeout - (time.monotonic() - started if started is not None else 0.0) - min(0.75, timeout / 4)
    transport = portal.transport
    transport.set_deadline(left)
    try:
        portal.catalogue()  # fresh endpoints for this run (a refused one is said below; the last good one is used)
        courier = portal.courier
        courier.recover()
        result = courier.sync(until_idle=until_idle, timeout=max(left, 0.0))
    finally:
        transport.set_deadline(None)
    pending = portal.store.count_pending()
    print(f"Delivered {result.delivered}, needing attention {result.needs_attention}, "
          f"still waiting {pending}.", file=out)
    from portal.death_commands import finish_cases

    finish_cases(portal, out)
    if portal.catalogue_refused:
        print(f"error: {visible(portal.catalogue_refused)}", file=err)
    if result.refused:
        print(f"error: {visible(result.refused)}", file=err)
        return EXIT_INCOMPLETE
    if result.busy and pending:
        print("error: Another program was sending from this data folder until the time ran out. "
              "Run sync again to finish.", file=err)
        return EXIT_INCOMPLETE
    if result.signed_out:
        print("error: You are not signed in. Sign in to send your notifications.", file=err)
        return EXIT_INCOMPLETE
    if until_idle and pending:
        print(f"error: {pending} notification(s) still waiting after {timeout:g} seconds.", file=err)
        return EXIT_INCOMPLETE
    return EXIT_OK


# -- what happened


def audit_data(portal: Portal) -> dict[str, Any]:
    """Who has my data: every attempt and receipt, with the field names each service got, and the
    consent words agreed to beside the language they were given in (never a tag inside them)."""
    deliveries = {delivery.id: delivery for delivery in portal.store.deliveries()}
    languages = portal.store.tell_languages()
    entries = [{
        "at": row["at"], "service": row["service"], "event": row["event"], "outcome": row["outcome"],
        "http_status": row["http_status"], "detail": row["detail"], "fields": json.loads(row["fields"] or "[]"),
        "delivery_id": row["delivery_id"],
        **consent_of(deliveries.get(row["delivery_id"]), languages),
    } for row in portal.store.audit_rows()]
    receipts = [{"delivery_id": r["delivery_id"], "service": r["service"], "reference": r["reference"],
                 "received_at": r["received_at"]} for r in portal.store.receipts()]
    return {"exported_at": utc_now(), "entries": entries, "receipts": receipts}


def consent_of(delivery: Delivery | None, languages: dict[str, str]) -> dict[str, Any]:
    if delivery is None:
        return {}
    return {"consent_statement": delivery.consent_statement, "consent_given_at": delivery.consent_given_at,
            "consent_language": languages.get(delivery.tell_id)}


def audit(portal: Portal, as_json: bool, out: TextIO) -> int:
    data = audit_data(portal)
    if as_json:
        print(json.dumps(data, indent=2), file=out)
        return EXIT_OK
    for entry in data["entries"]:
        fields = visible(", ".join(LABELS.get(f, f) for f in entry["fields"]))
        print(f"{entry['at']}  {visible(entry['service']):<8} {entry['outcome']:<16} {visible(entry['detail'] or '')}",
              file=out)
        if entry["outcome"] == DeliveryState.DELIVERED:
            print(f"    received: {fields}", file=out)
    return EXIT_OK
