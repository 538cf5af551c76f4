"""Who to tell: the services that take this event and what each needs; who will NOT be told, and why."""

from __future__ import annotations

from kivy.factory import Factory

from portal.i18n import translator
from portal.telling import TellRefused, plan_tell
from portal.wording import ADD_FIELD, SERVICES_TAKING, field_list
from screens.base import BaseScreen
from screens.i18n import _
from screens.logic import sort_services


class WhoToTellScreen(BaseScreen):
    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.build_lists()

    def build_lists(self) -> None:
        app = self.app
        event = app.draft.get("event", "change_of_address")
        snapshot = app.snapshot
        person = snapshot.profile.person if snapshot.profile else {}
        self.ids.lead.text = _(SERVICES_TAKING[event]) + " " + _("Untick any you do not want to tell.")
        can, cannot = sort_services(snapshot.catalogue, event, person)
        chosen = app.draft.get("services")
        told = self.ids.told
        told.clear_widgets()
        for service in can:
            needs = field_list(service.requires)
            extra = [f for f in service.accepts if person.get(f) not in (None, "", {})]
            hint = (_("{purpose}. Needs: {needs}.").format(purpose=_(service.purpose), needs=needs)
                    + (" " + _("Also receives: {fields}.").format(fields=field_list(extra)) if extra else ""))
            told.add_widget(Factory.Choice(text=_(service.name), hint=hint, value=service.id, field="services",
                                           state="down" if chosen is None or service.id in chosen else "normal"))
        if not can:
            told.add_widget(Factory.Body(text=_("No service can be told about this yet.")))
        not_told = self.ids.not_told
        not_told.clear_widgets()
        self.ids.not_told_heading.opacity = 1 if cannot else 0
        for service, reason, missing in cannot:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(service.name), font_size="18sp"))
            card.add_widget(Factory.Body(text=reason))
            if missing:
                link = Factory.LinkButton(text=_(ADD_FIELD[missing[0]]))
                link.bind(on_release=lambda _b, f=missing[0]: app.go("details", focus=f))
                card.add_widget(link)
            not_told.add_widget(card)

    def continue_(self) -> None:
        app = self.app
        chosen = [w.value for w in self.ids.told.children[::-1] if hasattr(w, "value") and w.chosen]
        app.draft["services"] = chosen
        if not chosen:
            self.show_errors([("services", _("Select at least one service to tell"))])
            return
        try:
            plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, app.draft["event"], chosen,
                             app.draft.get("effective_date"), language=translator.language)
        except TellRefused as refused:
            self.show_errors(refused.errors)
            return
        app.plan = plan
        app.go("check")


SCREEN = WhoToTellScreen
