"""Check and agree: per service, exactly what it receives about the person who died and about you, and the words."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.death import RELATIONSHIPS
from exchange.vocabulary import LABELS
from portal.death import commit_death
from portal.display import display_value, format_date
from ui.base import BaseScreen, languages_changed
from ui.i18n import _
from ui.widgets import plain_message


class DeathCheckScreen(BaseScreen):
    def update(self, _snapshot) -> None:
        if languages_changed(self):
            self.prepare()

    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.ids.send.disabled = False
        box = self.ids.services
        box.clear_widgets()
        plan = (getattr(self.app, "death", None) or {}).get("plan")
        if plan is None:
            return
        count = len(plan.previews)
        self.ids.lead.text = (_("You are telling 1 service about this death.") if count == 1 else
                              _("You are telling {count} services about this death.").format(count=count)) + " " + \
            _("Each receives exactly what is listed under it, and nothing else.")
        for preview in plan.previews:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(preview.service.name)))
            card.add_widget(Factory.Hint(text=_("About the person who died:")))
            card.add_widget(Factory.DetailRow(label=_("Registration reference"), value=plan.case.registration))
            card.add_widget(Factory.DetailRow(label=_("Date of death"), value=format_date(plan.case.date_of_death)))
            for name, value in preview.deceased.items():
                card.add_widget(Factory.DetailRow.of_field(name, value))
            card.add_widget(Factory.Hint(text=_("About you:")))
            for name, value in preview.informant.items():
                if name == "relationship":
                    card.add_widget(Factory.DetailRow(label=_("How you were related"), value=_(RELATIONSHIPS[value])))
                else:
                    card.add_widget(Factory.DetailRow(label=_(LABELS[name]), value=display_value(name, value)))
            card.add_widget(Factory.Hint(text=_("You agree:")))
            card.add_widget(Factory.InsetText(text=preview.statement))
            box.add_widget(card)

    def agree(self) -> None:
        app = self.app
        plan = app.death.get("plan")
        if plan is None:
            return
        self.ids.send.disabled = True
        app.work(lambda: commit_death(app.portal.store, plan), self.sent, self.failed)

    def sent(self, ids: list[str]) -> None:
        app = self.app
        # Only what the progress screen needs stays in memory; the case itself is sealed in the store.
        app.death = {"delivery_ids": ids}
        if self.manager.has_screen("death_documents"):  # nothing typed stays from an earlier report
            self.manager.get_screen("death_documents").ids.numbers.clear_widgets()
        app.show_sending("death", "death_progress")

    def failed(self, error: BaseException) -> None:
        self.ids.send.disabled = False
        self.show_errors([("", plain_message(error))])


SCREEN = DeathCheckScreen
