"""Who to tell about a death: nothing ticked in advance; each service says what it will do and what it needs."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.death import EVENT
from portal.death import plan_death, service_does
from portal.i18n import translator
from portal.telling import describe_fields, who_can_be_told
from ui.base import BaseScreen, languages_changed
from ui.i18n import _


class DeathWhoScreen(BaseScreen):
    def update(self, _snapshot) -> None:
        if getattr(self.app, "death", None) and self.app.death.get("case") and languages_changed(self):
            self.build(keep=True)

    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.build(keep=False)

    def build(self, keep: bool) -> None:
        app = self.app
        case = app.death["case"]
        chosen = {w.value for w in self.ids.told.children if getattr(w, "chosen", False)} if keep else \
            set(app.death.get("services") or ())
        told, not_told = self.ids.told, self.ids.not_told
        told.clear_widgets()
        not_told.clear_widgets()
        can, cannot = who_can_be_told(app.snapshot.catalogue, EVENT, case.deceased, translator.language)
        for service in can:
            needs = describe_fields(list(service.death_requires), translator.language)
            hint = service_does(service.id) + " " + _("It needs their {fields}.").format(fields=needs)
            told.add_widget(Factory.Choice(text=_(service.name), hint=hint, value=service.id,
                                           state="down" if service.id in chosen else "normal"))
        # A service that takes no reports of a death is not offered at all; one that lacks a detail is, and why.
        lacking = [item for item in cannot if EVENT in item.service.events]
        for item in lacking:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(item.service.name), font_size="18sp"))
            card.add_widget(Factory.Body(text=item.reason))
            card.add_widget(Factory.Body(text=_("You can contact it yourself.")))
            if item.missing:
                link = Factory.LinkButton(text=_("Add their {field}").format(
                    field=describe_fields([item.missing[0]], translator.language)))
                link.bind(on_release=lambda _b: app.go("death_documents"))
                card.add_widget(link)
            not_told.add_widget(card)
        self.ids.not_told_heading.opacity = 1 if lacking else 0

    def continue_(self) -> None:
        app = self.app
        chosen = [w.value for w in self.ids.told.children[::-1] if getattr(w, "chosen", False)]
        app.death["services"] = chosen
        plan = self.plan_for(chosen, lambda: plan_death(app.snapshot.profile, app.snapshot.catalogue,
                                                         app.death["case"], chosen, language=translator.language))
        if plan is None:
            return
        app.death["plan"] = plan
        app.go("death_check")


SCREEN = DeathWhoScreen
