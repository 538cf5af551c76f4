"""The identifiers the informant has from the person's documents: each optional, each saying which service needs it."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.death import clean_deceased
from exchange.vocabulary import LABELS
from portal.death import DOCUMENT_FIELDS, needed_by
from ui.base import BaseScreen, languages_changed
from ui.i18n import _


class DeathDocumentsScreen(BaseScreen):
    def update(self, snapshot) -> None:
        if languages_changed(self) or not self.ids.numbers.children:
            self.build(snapshot)

    def build(self, snapshot) -> None:
        box = self.ids.numbers
        typed = {name: w.text for name, w in self.fields().items()}
        box.clear_widgets()
        for name in DOCUMENT_FIELDS:
            hint = needed_by(snapshot.catalogue, name) if snapshot.catalogue else ""
            box.add_widget(Factory.Field(name=f"deceased.{name}", label=_(LABELS[name]),
                                         hint=hint or _("Optional."), secret=True,
                                         text=typed.get(f"deceased.{name}", "")))

    def prepare(self, **_options) -> None:
        self.clear_errors()
        if not self.ids.numbers.children:
            self.build(self.app.snapshot)

    def known(self) -> dict:
        """The deceased as known so far: the register's (or the typed) details."""
        death = self.app.death
        register = death.get("register")
        return dict((register or {}).get("deceased") or death.get("typed") or {})

    def continue_(self) -> None:
        app = self.app
        numbers = {name: self.fields()[f"deceased.{name}"].text for name in DOCUMENT_FIELDS}
        person, errors = clean_deceased({**self.known(), **numbers})
        if self.show_errors(errors):
            return
        app.death["numbers"] = {name: person[name] for name in DOCUMENT_FIELDS if name in person}
        app.go("death_relationship")


SCREEN = DeathDocumentsScreen
