"""Sentences whose grammar differs between languages, each written whole in every language.

Never glue a translated fragment into another sentence: French turns "de" + "le premier partage" into
"de le", Welsh mutates the word after "a" and "am", German declines what follows "Ihre". So each
event, each field and each count has its own whole sentence here (gettext's ``ngettext`` for counts),
lists are joined by Babel's ``format_list`` in the language's own pattern (Welsh mutation applied), and
times are the citizen's local time written the language's way (Babel).

    >>> field_list(["phone", "address"], "cy")
    'rhif ffôn a chyfeiriad'
    >>> field_list(["given_names", "family_name", "nino"], "en")
    'given names, family name and National Insurance number'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from babel.dates import format_time
from babel.lists import format_list

from exchange.vocabulary import N_
from portal.i18n import BABEL_LOCALES, translator


def NP_(context: str, text: str) -> str:
    """Marks a text with a context (``pgettext``): the same English words in another role."""
    return text


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted sentence (extracted as one plural entry, looked up with ``ngettext``)."""
    return singular, plural


IN_SENTENCE = "in a sentence"
# A field's name inside a sentence: each language decides its capitals ("rhif Yswiriant Gwladol",
# "numéro NHS", "National Insurance-nummer", German nouns).
FIELD_IN_SENTENCE: dict[str, str] = {
    "given_names": NP_("in a sentence", "given names"),
    "family_name": NP_("in a sentence", "family name"),
    "date_of_birth": NP_("in a sentence", "date of birth"),
    "nino": NP_("in a sentence", "National Insurance number"),
    "nhs_number": NP_("in a sentence", "NHS number"),
    "driving_licence_number": NP_("in a sentence", "driving licence number"),
    "passport_number": NP_("in a sentence", "passport number"),
    "email": NP_("in a sentence", "email address"),
    "phone": NP_("in a sentence", "phone number"),
    "address": NP_("in a sentence", "address"),
}

# "{service} does not take …", one whole sentence per event.
SERVICE_NOT_TAKEN: dict[str, str] = {
    "profile_shared": N_("{service} does not take details shared for the first time."),
    "change_of_address": N_("{service} does not take changes of address."),
    "change_of_name": N_("{service} does not take changes of name."),
    "change_of_contact": N_("{service} does not take new contact details."),
    "death": N_("{service} does not take reports of a death."),
}
# The lead of "Who to tell".
SERVICES_TAKING: dict[str, str] = {
    "profile_shared": N_("These services can receive your details for the first time."),
    "change_of_address": N_("These services take changes of address."),
    "change_of_name": N_("These services take changes of name."),
    "change_of_contact": N_("These services take new contact details."),
}
# The lead of "Progress".
NOTIFICATIONS_ABOUT: dict[str, str] = {
    "profile_shared": N_("Your notifications sharing your details for the first time."),
    "change_of_address": N_("Your notifications about your change of address."),
    "change_of_name": N_("Your notifications about your change of name."),
    "change_of_contact": N_("Your notifications about your new contact details."),
    "death": N_("Your notifications about a death."),
}
# The lead of "Check and agree": (singular, plural), with and without the date the change took effect.
TELLING: dict[str, tuple[str, str]] = {
    "profile_shared": NN_("You are sharing your details with {count} service for the first time.",
                       "You are sharing your details with {count} services for the first time."),
    "change_of_address": NN_("You are telling {count} service about your change of address.",
                          "You are telling {count} services about your change of address."),
    "change_of_name": NN_("You are telling {count} service about your change of name.",
                       "You are telling {count} services about your change of name."),
    "change_of_contact": NN_("You are telling {count} service about your new contact details.",
                          "You are telling {count} services about your new contact details."),
}
TELLING_FROM: dict[str, tuple[str, str]] = {
    "change_of_address": NN_("You are telling {count} service about your change of address from {date}.",
                          "You are telling {count} services about your change of address from {date}."),
    "change_of_name": NN_("You are telling {count} service about your change of name from {date}.",
                       "You are telling {count} services about your change of name from {date}."),
    "change_of_contact": NN_("You are telling {count} service about your new contact details from {date}.",
                          "You are telling {count} services about your new contact details from {date}."),
}
# Fields a service needs that the details do not have yet.
SERVICE_NEEDS = NN_("{service} needs this, which is not in your details yet: {fields}.",
                 "{service} needs these, which are not in your details yet: {fields}.")
WHEN = N_("{date} at {time}")
# A receipt's first line: what was told, and when.
RECEIPT_LINE: dict[str, str] = {
    "profile_shared": N_("Details shared for the first time, {when}"),
    "change_of_address": N_("Change of address, {when}"),
    "change_of_name": N_("Change of name, {when}"),
    "change_of_contact": N_("New contact details, {when}"),
    "death": N_("A death reported, {when}"),
}
# A link to the field a service needs (a possessive glued to a field's name cannot agree in German).
ADD_FIELD: dict[str, str] = {
    "given_names": N_("Add your given names"),
    "family_name": N_("Add your family name"),
    "date_of_birth": N_("Add your date of birth"),
    "nino": N_("Add your National Insurance number"),
    "nhs_number": N_("Add your NHS number"),
    "driving_licence_number": N_("Add your driving licence number"),
    "passport_number": N_("Add your passport number"),
    "email": N_("Add your email address"),
    "phone": N_("Add your phone number"),
    "address": N_("Add your address"),
}

WELSH_VOWELS = "aeiouwyâêîôûŵŷáéíóúàèìòùäëïöü"
WELSH_ASPIRATE = {"c": "ch", "p": "ph", "t": "th"}


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    """The form of a counted sentence that the language uses for ``n`` (Welsh has six)."""
    return translator.ngettext(singular, plural, n, language)


def welsh_after_and(word: str) -> str:
    """'a' + the word as Welsh says it: 'ac' before a vowel, the aspirate mutation after 'a'."""
    first = word[:1].lower()
    if first and first in WELSH_VOWELS:
        return f"ac {word}"
    if first in WELSH_ASPIRATE and word[1:2].lower() != "h":
        mutated = WELSH_ASPIRATE[first]
        return f"a {mutated if word[0].islower() else mutated.capitalize()}{word[1:]}"
    return f"a {word}"


def join_list(items: Iterable[str], language: str | None = None) -> str:
    """'a, b and c' in the language's own pattern (Babel/CLDR); Welsh mutates the last item."""
    items = list(items)
    language = language or translator.language
    if language == "cy" and len(items) > 1:
        # CLDR's Welsh pattern writes "a(c)": the right word depends on the next one, so we say it here.
        # (No comma before it, as Welsh style guides write lists.)
        return f"{', '.join(items[:-1])} {welsh_after_and(items[-1])}"
    return format_list(items, style="standard", locale=BABEL_LOCALES[language])


def field_in_sentence(field: str, language: str | None = None) -> str:
    return translator.pgettext(IN_SENTENCE, FIELD_IN_SENTENCE[field], language)


def field_list(fields: Iterable[str], language: str | None = None) -> str:
    """The fields' names inside a sentence, joined as the language joins a list."""
    return join_list((field_in_sentence(f, language) for f in fields), language)


def service_name(name: str, language: str | None = None) -> str:
    """A service's name in the language: the departments' official names (Welsh: 'Cyllid a Thollau EF');
    a name not in the catalogues (a new service) as government gives it."""
    return translator.gettext(name, language)


def telling_lead(event: str, count: int, date: str | None = None, language: str | None = None) -> str:
    """'You are telling 2 services about your change of address from 1 December 2026.'"""
    if date and event in TELLING_FROM:
        singular, plural = TELLING_FROM[event]
    else:
        singular, plural = TELLING[event]
        date = None
    words = ngettext(singular, plural, count, language)
    return words.format(count=count, date=date) if date else words.format(count=count)


def needs_sentence(missing: list[str], service: str, language: str | None = None) -> str:
    """What a service needs before it can be told, the fields listed after a colon (no grammar to agree)."""
    singular, plural = SERVICE_NEEDS
    return ngettext(singular, plural, len(missing), language).format(service=service,
                                                                     fields=field_list(missing, language))


def stored_message(text: str | None, language: str | None = None) -> str:
    """A message kept in English in the outbox (the courier's, the session's: whole sentences) in the
    language; the one value they carry, an HTTP status, put back in its place. A department's own words
    are shown as the department wrote them."""
    if not text:
        return ""
    words = translator.gettext(text, language)
    if words != text:
        return words
    status = re.search(r"\berror ([1-5][0-9]{2})\b", text)
    if status:
        template = text.replace(status.group(0), "error {status}", 1)
        words = translator.gettext(template, language)
        if words != template:
            return words.format(status=status.group(1))
    return text


def local_datetime(when: float | str | dt.datetime) -> dt.datetime:
    """An epoch, an ISO text (UTC when it names no zone) or a datetime, in the device's time zone."""
    if isinstance(when, int | float):
        return dt.datetime.fromtimestamp(when).astimezone()
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(re.sub(r"Z$", "+00:00", when))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone()


def local_time(when: float | str | dt.datetime | None, language: str | None = None,
               today: dt.date | None = None) -> str:
    """A time today as the language writes it (14:05:09); another day with its date, in local time."""
    if not when:
        return translator.gettext(N_("now"), language)
    language = language or translator.language
    local = local_datetime(when)
    today = today or dt.datetime.now().astimezone().date()
    if local.date() == today:
        return format_time(local, format="medium", tzinfo=local.tzinfo, locale=BABEL_LOCALES[language])
    return when_sentence(local, language)


def when_sentence(when: float | str | dt.datetime, language: str | None = None) -> str:
    """'2 December 2026 at 14:05', in the device's time zone and the language's words."""
    language = language or translator.language
    local = local_datetime(when)
    return translator.gettext(WHEN, language).format(
        date=translator.format_date(local.date(), language),
        time=format_time(local, format="short", tzinfo=local.tzinfo, locale=BABEL_LOCALES[language]))
