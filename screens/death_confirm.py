"""What the register holds, to confirm; offline, the details as on the certificate (each service checks them later)."""

from __future__ import annotations

import datetime as dt

from kivy.factory import Factory

from exchange.death import clean_deceased, date_of_death_errors
from portal.death import person_summary
from portal.display import display_value
from ui.base import BaseScreen, languages_changed
from ui.i18n import _


class DeathConfirmScreen(BaseScreen):
    def update(self, _snapshot) -> None:
        # Redrawn for a new language only: a refresh of the outbox must not wipe what is being typed.
        if self.manager is not None and self.manager.current == self.name and languages_changed(self):
            self.keep_typed()
            self.prepare()

    def keep_typed(self) -> None:
        fields = self.fields()
        if "deceased.given_names" in fields:
            death = self.app.death
            death["typed"] = {name: fields[f"deceased.{name}"].text for name in ("given_names", "family_name")}
            death["typed"]["date_of_birth"] = fields["deceased.date_of_birth"].iso()
            death["date_of_death"] = fields["date_of_death"].iso()

    def prepare(self, **_options) -> None:
        languages_changed(self)
        self.clear_errors()
        death = getattr(self.app, "death", None) or {}
        box = self.ids.content
        box.clear_widgets()
        register = death.get("register")
        if register is not None:
            self.ids.heading.text = _("Check this is the person who died")
            box.add_widget(Factory.Body(text=_("The register of deaths holds this for reference {reference}:").format(
                reference=death.get("reference", ""))))
            held = register.get("deceased") or {}
            box.add_widget(Factory.InsetText(text=person_summary(held, register.get("date_of_death", ""))))
            if held.get("address"):
                box.add_widget(Factory.DetailRow(label=_("Their address"), value=display_value("address",
                                                                                           held["address"])))
            box.add_widget(Factory.Body(text=_(
                "If this is not the right person, check the reference on the letter or certificate from the "
                "register office.")))
            self.ids.go.text = _("Yes, this is the right person")
            return
        self.ids.heading.text = _("Their details, as on the death certificate")
        box.add_widget(Factory.Notice(title=_("The register cannot be checked now"), tone="blue", text=_(
            "You are offline or not signed in. Enter their details as they are on the death certificate. "
            "Each service checks them against the register when your notifications reach it.")))
        typed = death.get("typed") or {}
        for name, label in (("given_names", _("Their given names")), ("family_name", _("Their family name"))):
            box.add_widget(Factory.Field(name=f"deceased.{name}", label=label, text=typed.get(name, "")))
        born = Factory.DateField(name="deceased.date_of_birth", label=_("Their date of birth"),
                                 hint=_("For example, 2 6 1950"))
        died = Factory.DateField(name="date_of_death", label=_("Date of death"), hint=_("For example, 23 11 2026"))
        box.add_widget(born)
        box.add_widget(died)
        born.set_iso(typed.get("date_of_birth"))
        died.set_iso(death.get("date_of_death"))
        self.ids.go.text = _("Continue")

    def continue_(self) -> None:
        app = self.app
        death = app.death
        if death.get("register") is None:
            fields = self.fields()
            typed = {name: fields[f"deceased.{name}"].text for name in ("given_names", "family_name")}
            typed["date_of_birth"] = fields["deceased.date_of_birth"].iso() or ""
            person, errors = clean_deceased(typed, required=("given_names", "family_name", "date_of_birth"))
            when = fields["date_of_death"].iso()
            errors += date_of_death_errors(when, person.get("date_of_birth"), dt.date.today())
            if self.show_errors(errors):
                return
            death["typed"], death["date_of_death"] = person, when
        app.go("death_documents")


SCREEN = DeathConfirmScreen
