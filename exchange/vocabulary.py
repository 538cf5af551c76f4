"""The person: the shared vocabulary of the Once-Only Exchange (CONTRACT section 1).

Both sides use this one module: the app when a citizen types their details, the
mock when a department receives them. Values arrive as people type them
("sw1a2aa", "07700 900 123"); ``clean_person`` normalises and validates a whole
profile and returns every problem at once, as (field, message) pairs with
GOV.UK-style messages. Nested fields are named with dots: ``address.postcode``.

    >>> person, errors = clean_person({"given_names": " Amira ", "family_name": "Khan",
    ...                                "address": {"line1": "1 High St", "town": "Leeds",
    ...                                            "postcode": "ls11aa"}})
    >>> person["address"]["postcode"], errors
    ('LS1 1AA', [])
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Error = tuple[str, str]


class Message(str):
    """An English message that keeps its template and values, so the app can show it
    in the citizen's language (portal.i18n) while the mock and the contract stay English."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        message = super().__new__(cls, template.format(**params) if params else template)
        message.template = template
        message.params = params
        return message

def N_(text: str) -> str:
    """Marks a text for translation where it is defined; it is translated where it is shown."""
    return text


# Every field of the person, in the order a form shows them.
FIELDS: tuple[str, ...] = (
    "given_names",
    "family_name",
    "date_of_birth",
    "nino",
    "nhs_number",
    "driving_licence_number",
    "passport_number",
    "email",
    "phone",
    "address",
)
ADDRESS_FIELDS: tuple[str, ...] = ("line1", "line2", "town", "postcode", "country")
# Long identifiers that must never be readable on disk or in logs.
SENSITIVE_FIELDS: frozenset[str] = frozenset(
    {"nino", "nhs_number", "driving_licence_number", "passport_number"}
)
REQUIRED_IN_PROFILE: tuple[str, ...] = ("given_names", "family_name")

LABELS: dict[str, str] = {
    "given_names": N_("Given names"),
    "family_name": N_("Family name"),
    "date_of_birth": N_("Date of birth"),
    "nino": N_("National Insurance number"),
    "nhs_number": N_("NHS number"),
    "driving_licence_number": N_("Driving licence number"),
    "passport_number": N_("Passport number"),
    "email": N_("Email address"),
    "phone": N_("Phone number"),
    "address": N_("Address"),
    "address.line1": N_("Address line 1"),
    "address.line2": N_("Address line 2"),
    "address.town": N_("Town or city"),
    "address.postcode": N_("Postcode"),
    "address.country": N_("Country"),
}

MISSING: dict[str, Message] = {
    "given_names": Message("Enter your given names"),
    "family_name": Message("Enter your family name"),
    "date_of_birth": Message("Enter your date of birth"),
    "nino": Message("Enter your National Insurance number"),
    "nhs_number": Message("Enter your NHS number"),
    "driving_licence_number": Message("Enter your driving licence number"),
    "passport_number": Message("Enter your passport number"),
    "email": Message("Enter your email address"),
    "phone": Message("Enter your phone number"),
    "address": Message("Enter your address"),
    "address.line1": Message("Enter address line 1, typically the building and street"),
    "address.town": Message("Enter town or city"),
    "address.postcode": Message("Enter a full UK postcode"),
}

POSTCODE_RE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW])"
    r" [0-9][ABD-HJLNP-UW-Z]{2})$"
)
NINO_RE = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")
NINO_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
DRIVING_LICENCE_RE = re.compile(
    r"^[A-Z9]{5}(?P<decade>[0-9])(?P<month>0[1-9]|1[0-2]|5[1-9]|6[0-2])"
    r"(?P<day>0[1-9]|[12][0-9]|3[01])(?P<year>[0-9])[A-Z9]{2}[0-9][A-Z]{2}$"
)
PASSPORT_RE = re.compile(r"^[0-9]{9}$")
NHS_RE = re.compile(r"^[0-9]{10}$")
PHONE_RE = re.compile(r"^\+44[0-9]{9,10}$")
NAME_PUNCTUATION = frozenset(" -'.")
MAX_AGE_YEARS = 130

# Text hygiene, for every field from every source (import, forms, GET /v1/me, a department's inbox):
# control characters (Cc: NUL, ESC...), format characters (Cf: the bidirectional controls that
# reorder what a terminal or a page shows, zero-width spaces, the soft hyphen) and lone
# surrogates (Cs: not text at all; printing one fails) are refused, naming the field.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Except the zero-width joiner and non-joiner between two letters: Persian, Urdu and several
# Indic scripts need them to spell a name or a street correctly (Unicode's "Default Ignorable"
# characters a name may legitimately hold); anywhere else they only hide something.
JOINERS = frozenset({"\u200c", "\u200d"})
HIDDEN = N_("{label} must not include control characters or hidden formatting characters")
# A JSON integer longer than this is no value of a person's (Python refuses past 4,300 digits).
MAX_JSON_DIGITS = 100


# ---------------------------------------------------------------- normalising


def _collapse(value: str) -> str:
    return " ".join(value.split())


def normalise_name(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # NFC so an accent typed as two code points is one letter; a typographic
    # apostrophe is the same apostrophe to a citizen.
    return _collapse(unicodedata.normalize("NFC", value).replace("\u2019", "'"))


def normalise_text(value: Any) -> Any:
    return _collapse(value) if isinstance(value, str) else value


def normalise_nino(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s\-.]", "", value).upper()


def normalise_nhs_number(value: Any) -> Any:
    return re.sub(r"[\s\-]", "", value) if isinstance(value, str) else value


def normalise_driving_licence(value: Any) -> Any:
    return re.sub(r"\s", "", value).upper() if isinstance(value, str) else value


def normalise_passport(value: Any) -> Any:
    return re.sub(r"\s", "", value) if isinstance(value, str) else value


def normalise_email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip()
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


def normalise_phone(value: Any) -> Any:
    """To E.164 when it looks like a UK number; otherwise as typed, for validation to name."""
    if not isinstance(value, str):
        return value
    compact = re.sub(r"[\s\-().]", "", value.replace("(0)", ""))
    if compact.startswith("+44"):
        rest = compact[3:]
    elif compact.startswith("0"):
        rest = compact[1:]
    else:
        return value.strip()
    return "+44" + rest if rest.isdigit() else value.strip()


def normalise_postcode(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    compact = re.sub(r"\s", "", value).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_date(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def normalise_address(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "postcode":
            out[key] = normalise_postcode(item)
        elif key == "country":
            out[key] = item.strip().upper() if isinstance(item, str) else item
        else:
            out[key] = normalise_text(item)
    # An empty optional line is the same as no line.
    for key in ("line2", "country"):
        if out.get(key) == "":
            del out[key]
    return out


NORMALISERS: dict[str, Callable[[Any], Any]] = {
    "given_names": normalise_name,
    "family_name": normalise_name,
    "date_of_birth": normalise_date,
    "nino": normalise_nino,
    "nhs_number": normalise_nhs_number,
    "driving_licence_number": normalise_driving_licence,
    "passport_number": normalise_passport,
    "email": normalise_email,
    "phone": normalise_phone,
    "address": normalise_address,
}


def normalise_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """Each known field normalised; unknown fields kept as they are, for validation to name."""
    out: dict[str, Any] = {}
    for key, value in person.items():
        normalise = NORMALISERS.get(key)
        value = normalise(value) if normalise else value
        # A blank optional box is a field left out, not a wrong value.
        if isinstance(value, str) and value == "" and key not in REQUIRED_IN_PROFILE:
            continue
        out[key] = value
    return out


# ----------------------------------------------------------------- validating


def parse_date(value: Any) -> dt.date | None:
    """A real ISO date (YYYY-MM-DD), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


# One whole sentence per field: a field's name glued into "{label} must…" cannot agree in every language
# (German and French need the verb to agree with "Vornamen", "Prénoms").
NAME_RULES: dict[str, dict[str, Message]] = {
    "given_names": {
        "long": Message("Given names must be 100 characters or fewer"),
        "letters": Message("Given names must only include letters, spaces, hyphens, apostrophes and full stops"),
        "one_letter": Message("Given names must include at least one letter"),
    },
    "family_name": {
        "long": Message("Family name must be 100 characters or fewer"),
        "letters": Message("Family name must only include letters, spaces, hyphens, apostrophes and full stops"),
        "one_letter": Message("Family name must include at least one letter"),
    },
}
LINE_RULES: dict[str, dict[str, str]] = {
    "address.line1": {"text": N_("Address line 1 must be text"),
                      "long": N_("Address line 1 must be {limit} characters or fewer")},
    "address.line2": {"text": N_("Address line 2 must be text"),
                      "long": N_("Address line 2 must be {limit} characters or fewer")},
    "address.town": {"text": N_("Town or city must be text"),
                     "long": N_("Town or city must be {limit} characters or fewer")},
}


def _name_errors(field: str, value: Any) -> list[Error]:
    rules = NAME_RULES[field]
    if not isinstance(value, str) or not value:
        return [(field, MISSING[field])]
    if len(value) > 100:
        return [(field, rules["long"])]
    for char in value:
        if char in NAME_PUNCTUATION or char in JOINERS:  # a joiner's place is checked by _hygiene_errors
            continue
        if unicodedata.category(char)[0] not in "LM":
            return [(field, rules["letters"])]
    if not any(unicodedata.category(c)[0] == "L" for c in value):
        return [(field, rules["one_letter"])]
    return []


def _date_of_birth_errors(value: Any, today: dt.date) -> list[Error]:
    field = "date_of_birth"
    if value is None or value == "":
        return [(field, MISSING[field])]
    born = parse_date(value)
    if born is None:
        return [(field, Message("Date of birth must be a real date"))]
    if born > today:
        return [(field, Message("Date of birth must be in the past"))]
    try:
        oldest = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    if born < oldest:
        return [(field, Message("Date of birth must be within the last {years} years", years=MAX_AGE_YEARS))]
    return []


def _nino_errors(value: Any) -> list[Error]:
    if isinstance(value, str) and NINO_RE.match(value) and value[:2] not in NINO_NEVER_ISSUED:
        return []
    return [("nino", Message("Enter a National Insurance number in the correct format"))]


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits; None when no valid number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def _nhs_errors(value: Any) -> list[Error]:
    if not isinstance(value, str) or not NHS_RE.match(value):
        return [("nhs_number", Message("NHS number must be 10 digits"))]
    if nhs_check_digit(value[:9]) != int(value[9]):
        return [("nhs_number", Message("Enter a valid NHS number"))]
    return []


def _driving_licence_errors(value: Any, date_of_birth: Any, today: dt.date) -> list[Error]:
    field = "driving_licence_number"
    match = DRIVING_LICENCE_RE.match(value) if isinstance(value, str) else None
    if not match:
        return [(field, Message("Enter a driving licence number in the correct format"))]
    born = parse_date(date_of_birth)
    if born is None or _date_of_birth_errors(date_of_birth, today):
        return []  # nothing sound to compare with; the date's own error says why
    month = int(match["month"])
    month = month - 50 if month > 50 else month
    agrees = (
        int(match["decade"]) == born.year // 10 % 10
        and int(match["year"]) == born.year % 10
        and month == born.month
        and int(match["day"]) == born.day
    )
    if not agrees:
        return [(field, Message("Driving licence number does not match your date of birth"))]
    return []


def _passport_errors(value: Any) -> list[Error]:
    if isinstance(value, str) and PASSPORT_RE.match(value):
        return []
    return [("passport_number", Message("Passport number must be 9 digits"))]


def _email_errors(value: Any) -> list[Error]:
    message = Message("Enter an email address in the correct format, like name@example.com")
    if not isinstance(value, str) or len(value) > 254 or value.count("@") != 1:
        return [("email", message)]
    local, domain = value.split("@")
    labels = domain.split(".")
    if not local or len(labels) < 2 or not all(labels) or any(c.isspace() for c in value):
        return [("email", message)]
    return []


def _phone_errors(value: Any) -> list[Error]:
    if isinstance(value, str) and PHONE_RE.match(value):
        return []
    return [("phone", Message("Enter a UK phone number, like 01632 960 001 or 07700 900 982"))]


def _line_errors(field: str, value: Any, limit: int, required: bool) -> list[Error]:
    if value is None or value == "":
        return [(field, MISSING[field])] if required else []
    if not isinstance(value, str):
        return [(field, Message(LINE_RULES[field]["text"]))]
    if len(value) > limit:
        return [(field, Message(LINE_RULES[field]["long"], limit=limit))]
    return []


def _address_errors(value: Any) -> list[Error]:
    if not isinstance(value, Mapping):
        return [("address", Message("Enter your address with line 1, town or city and postcode"))]
    errors: list[Error] = []
    for key in value:
        if key not in ADDRESS_FIELDS:
            errors.append((f"address.{visible(key)}", Message("{key} is not part of an address", key=visible(key))))
    errors += _line_errors("address.line1", value.get("line1"), 100, required=True)
    errors += _line_errors("address.line2", value.get("line2"), 100, required=False)
    errors += _line_errors("address.town", value.get("town"), 60, required=True)
    postcode = value.get("postcode")
    if postcode is None or postcode == "":
        errors.append(("address.postcode", MISSING["address.postcode"]))
    elif not isinstance(postcode, str) or not POSTCODE_RE.match(postcode):
        errors.append(("address.postcode", Message("Enter a real UK postcode, like SW1A 2AA")))
    country = value.get("country")
    if country is not None and country != "GB":
        errors.append(("address.country", Message("Country must be GB (the United Kingdom)")))
    return errors


def hidden_characters(text: str) -> bool:
    """Does this text hold a control, format (bidirectional...) or surrogate character?

    A zero-width joiner or non-joiner between two letters or marks is allowed (names in
    Persian or Malayalam need them).
    """
    if text.isprintable():
        return False
    for index, char in enumerate(text):
        if unicodedata.category(char) not in HIDDEN_CATEGORIES:
            continue
        if char in JOINERS and 0 < index < len(text) - 1 and \
                unicodedata.category(text[index - 1])[0] in "LM" and unicodedata.category(text[index + 1])[0] in "LM":
            continue
        return True
    return False


def _hygiene_errors(field: str, value: Any) -> list[Error]:
    """Hidden characters in a field's text, named by the field (address lines each by their own name)."""
    if isinstance(value, str):
        return [(field, Message(HIDDEN, label=LABELS.get(field, field)))] if hidden_characters(value) else []
    if field == "address" and isinstance(value, Mapping):
        return [error for key in ADDRESS_FIELDS for error in _hygiene_errors(f"address.{key}", value.get(key))]
    return []


def visible(text: Any) -> str:
    r"""Untrusted text made safe to print on one line: control, format and surrogate characters
    (ESC sequences, bidirectional overrides, new lines, a lone surrogate) shown as escapes.

        >>> print(visible("Leeds\x1b[2J\u202e"))
        Leeds\x1b[2J\u202e
    """
    text = text if isinstance(text, str) else str(text)
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char in JOINERS or (unicodedata.category(char) == "Zs"):
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


class AbsurdNumber(float):
    """A JSON integer too long to be any value of a person's: a field error, never a crash."""


def parse_int(digits: str) -> int | float:
    return int(digits) if len(digits) <= MAX_JSON_DIGITS else AbsurdNumber("inf")


def loads_json(text: str | bytes) -> Any:
    """json.loads for text from outside (a file, an answer): a 5,000-digit number is a value
    no field accepts (validation names the field), not Python's ValueError."""
    import json

    return json.loads(text, parse_int=parse_int)


def field_errors(field: str, value: Any, person: Mapping[str, Any] | None = None,
                 today: dt.date | None = None) -> list[Error]:
    """The problems with one normalised field; ``person`` gives context (date of birth)."""
    today = today or dt.date.today()
    person = person or {}
    hidden = _hygiene_errors(field, value)
    if hidden:
        return hidden
    if field in ("given_names", "family_name"):
        return _name_errors(field, value)
    if field == "date_of_birth":
        return _date_of_birth_errors(value, today)
    if field == "nino":
        return _nino_errors(value)
    if field == "nhs_number":
        return _nhs_errors(value)
    if field == "driving_licence_number":
        return _driving_licence_errors(value, person.get("date_of_birth"), today)
    if field == "passport_number":
        return _passport_errors(value)
    if field == "email":
        return _email_errors(value)
    if field == "phone":
        return _phone_errors(value)
    if field == "address":
        return _address_errors(value)
    return [(field, Message("{field} is not a detail this service knows", field=field))]


def validate_person(person: Mapping[str, Any], required: Iterable[str] = REQUIRED_IN_PROFILE,
                    today: dt.date | None = None) -> list[Error]:
    """Every problem with an already-normalised person, in form order; [] when it is valid.

    Fields in ``required`` must be present; every other field is optional, but
    each one present must be valid. Unknown fields are named as problems.
    """
    if not isinstance(person, Mapping):
        return [("person", Message("Enter the details as a JSON object, like {example}",
                                    example='{"given_names": "Amira"}'))]
    errors: list[Error] = []
    required = tuple(required)
    for field in FIELDS:
        value = person.get(field)
        if value is None:
            if field in required:
                errors.append((field, MISSING[field]))
            continue
        errors += field_errors(field, value, person, today)
    errors += [
        (visible(key), Message("{field} is not a detail this service knows", field=visible(key)))
        for key in person
        if key not in FIELDS
    ]
    return errors


def clean_person(person: Any, required: Iterable[str] = REQUIRED_IN_PROFILE,
                 today: dt.date | None = None) -> tuple[dict[str, Any], list[Error]]:
    """Normalise then validate: (the normalised person, every error at once)."""
    if not isinstance(person, Mapping):
        return {}, validate_person(person)  # type: ignore[arg-type]
    normalised = normalise_person(person)
    return normalised, validate_person(normalised, required, today)
