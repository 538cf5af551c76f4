"""Tell us about a change: what changed, and the date it took effect."""

from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from portal.display import display_value
from portal.i18n import translator
from portal.telling import check_effective_date
from ui.base import BaseScreen
from ui.i18n import N_, _

CHOICES = (
    ("change_of_address", N_("I moved house"), N_("We will ask for your new address next.")),
    ("change_of_name", N_("I changed my name"), N_("We send your name as it is in your details now.")),
    ("change_of_contact", N_("I have new contact details"), N_("Your email address and phone number.")),
    ("profile_shared", N_("I want to share my details for the first time"),
     N_("With services that do not have them yet.")),
)
WHAT_IS_SENT = {"change_of_address": "address", "change_of_name": "family_name", "change_of_contact": "email"}


class ChangeScreen(BaseScreen):
    event = StringProperty("")

    def on_kv_post(self, _base) -> None:
        from kivy.factory import Factory

        for value, text, hint in CHOICES:
            choice = Factory.Choice(text=_(text), hint=_(hint), value=value, radio=True, group="event")
            choice.bind(state=self._chosen)
            self.ids.choices.add_widget(choice)

    def update(self, _snapshot) -> None:
        """Redrawn in the citizen's language (after a switch in Settings)."""
        texts = {value: (text, hint) for value, text, hint in CHOICES}
        for choice in self.ids.choices.children:
            text, hint = texts[choice.value]
            choice.text, choice.hint = _(text), _(hint)
        self.on_event(self, self.event)

    def _chosen(self, choice, state: str) -> None:
        if state == "down":
            self.event = choice.value
        elif self.event == choice.value:
            self.event = ""

    def on_event(self, _screen, event: str) -> None:
        profile = self.app.snapshot.profile if self.app else None
        field = WHAT_IS_SENT.get(event)
        known = event == "change_of_address" and self.app and self.app.draft.get("address_saved")
        value = display_value(field, profile.person.get(field)) if field and profile else ""
        self.ids.current.text = (_("We will send what is in your details now: {value}. If that is not up to date, "
                                   "change your details first.").format(value=value)
                                 if value and (event != "change_of_address" or known) else "")
        self.ids.change_details.opacity = 1 if value and event in ("change_of_name", "change_of_contact") else 0
        self.ids.change_details.disabled = not self.ids.change_details.opacity

    def prepare(self, event: str = "", **_options) -> None:
        """``event``: chosen already (offered after saving a change in Your details)."""
        self.clear_errors()
        if not event and self.manager is not None and self.manager.current == "home":
            self.app.draft = {}  # a new change from the start: nothing kept from an earlier one
            for choice in self.ids.choices.children:
                choice.state = "normal"
            self.ids.when.set_iso(None)
        if event:
            for choice in self.ids.choices.children:
                choice.state = "down" if choice.value == event else "normal"
            self.event = event
        self.on_event(self, self.event)

    def continue_(self) -> None:
        errors = []
        if not self.event:
            errors.append(("event", _("Select what has changed")))
        when = None
        if self.event and self.event != "profile_shared":
            when, date_errors = check_effective_date(self.event, self.ids.when.iso(), dt.date.today(),
                                                     translator.language)
            errors += date_errors
        if self.show_errors(errors):
            return
        app = self.app
        # The same change again (Back, then Continue): the citizen's address and ticks are kept.
        draft = app.draft if app.draft.get("event") == self.event else {}
        app.draft = {**draft, "event": self.event, "effective_date": when}
        app.go("address" if self.event == "change_of_address" and not draft.get("address_saved") else "who_to_tell")


SCREEN = ChangeScreen
