"""The headless commands behind ``python main.py ...``, for testers and scripts.

Each command takes what it needs, writes to the given streams and returns the
exit code: 0 done; 1 could not finish (network, timeout, not signed in);
2 bad input or usage, each problem on stderr as ``field: message``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from portal.store import Store
from services.vocabulary import FIELDS, LABELS, clean_person

EXIT_OK, EXIT_INCOMPLETE, EXIT_BAD_INPUT = 0, 1, 2

# Keys a file may carry besides the person: what `profile show --json` adds.
IGNORED_ON_IMPORT = ("verified",)


def print_errors(errors: list[tuple[str, str]], err: TextIO) -> int:
    for field, message in errors:
        print(f"{field}: {message}", file=err)
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
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        return {}, [("file", f"{path} is not valid JSON{where}")]
    if not isinstance(data, dict):
        return {}, [("file", "The file must hold one person as a JSON object, like {\"given_names\": \"Amira\"}")]
    data = {key: value for key, value in data.items() if key not in IGNORED_ON_IMPORT}
    return clean_person(data)


def profile_import(store: Store, path: Path, out: TextIO, err: TextIO) -> int:
    """Validate the whole file first; save a new version only when all of it is valid."""
    person, errors = read_person_file(path)
    if errors:
        return print_errors(errors, err)
    version = store.save_profile(person)
    print(f"Your details are saved (version {version}).", file=out)
    return EXIT_OK


def profile_as_json(store: Store) -> dict[str, Any] | None:
    profile = store.current_profile()
    if profile is None:
        return None
    return {**profile.person, "verified": list(profile.verified)}


def profile_show(store: Store, as_json: bool, out: TextIO, err: TextIO) -> int:
    profile = store.current_profile()
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
        value = profile.person[name]
        if isinstance(value, dict):
            value = ", ".join(str(value[k]) for k in ("line1", "line2", "town", "postcode") if value.get(k))
        mark = "  (verified by government)" if name in profile.verified else ""
        print(f"  {LABELS[name]}: {value}{mark}", file=out)
    return EXIT_OK
