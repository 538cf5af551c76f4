"""How the informant was related to the person who died; then the case is checked as a whole."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.death import RELATIONSHIPS
from portal.death import check_case
from portal.i18n import translator
from ui.base import BaseScreen
from ui.i18n import _


class DeathRelationshipScreen(BaseScreen):
    def on_kv_post(self, _base) -> None:
        for value, text in RELATIONSHIPS.items():
            self.ids.choices.add_widget(Factory.Choice(text=_(text), value=value, radio=True, group="relationship"))

    def update(self, _snapshot) -> None:
        for choice in self.ids.choices.children:
            choice.text = _(RELATIONSHIPS[choice.value])

    def prepare(self, **_options) -> None:
        self.clear_errors()

    def chosen(self) -> str:
        return next((c.value for c in self.ids.choices.children if c.chosen), "")

    def continue_(self) -> None:
        app = self.app
        relationship = self.chosen()
        if not relationship:
            self.show_errors([("relationship", _("Select how you were related to the person who died"))])
            return
        death = app.death
        register = death.get("register")
        deceased = {**(death.get("typed") or {}), **death.get("numbers", {})}
        case, errors = check_case(deceased, death["reference"], relationship, death.get("date_of_death"), register,
                                  language=translator.language)
        if self.show_errors(errors):
            return
        death["relationship"], death["case"] = relationship, case
        app.go("death_who")


SCREEN = DeathRelationshipScreen
