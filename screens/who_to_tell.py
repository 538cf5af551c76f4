"""Who to tell: the services that take this event and what each needs; who will NOT be told, and why."""

from __future__ import annotations

from kivy.factory import Factory

from portal.i18n import translator
from portal.telling import plan_tell, who_can_be_told
from portal.wording import ADD_FIELD, SERVICES_TAKING, field_list
from ui.base import BaseScreen
from ui.i18n import _


class WhoToTellScreen(BaseScreen):
    def prepare(self, **_options) -> None:
        self.clear_errors()
        draft = self.app.draft
        address_asked = draft.get("event") == "change_of_address" and not draft.get("address_saved")
        self.ids.page.back = "address" if address_asked else "change"
        self.build_lists()

    def build_lists(self) -> None:
        app = self.app
        event = app.draft.get("event", "change_of_address")
        snapshot = app.snapshot
        person = snapshot.profile.person if snapshot.profile else {}
        self.ids.lead.text = (_(SERVICES_TAKING[event]) + " "
                              + _("Tick each one you want to tell. Nothing is sent until you agree on the next page."))
        can, cannot = who_can_be_told(snapshot.catalogue, event, person, translator.language)
        # Nothing is ticked for the citizen: consent is their own act (UK GDPR, ICO guidance); what they
        # ticked is kept in the draft, so Back and Continue show it again.
        chosen = app.draft.get("services") or []
        told = self.ids.told
        told.clear_widgets()
        for service in can:
            needs = field_list(service.requires)
            extra = [f for f in service.accepts if person.get(f) not in (None, "", {})]
            hint = (_("{purpose}. Needs: {needs}.").format(purpose=_(service.purpose), needs=needs)
                    + (" " + _("Also receives: {fields}.").format(fields=field_list(extra)) if extra else ""))
            choice = Factory.Choice(text=_(service.name), hint=hint, value=service.id, field="services",
                                    state="down" if service.id in chosen else "normal")
            choice.bind(state=lambda _c, _s: self.note_choices())
            told.add_widget(choice)
        if not can:
            told.add_widget(Factory.Body(text=_("No service can be told about this yet.")))
        not_told = self.ids.not_told
        not_told.clear_widgets()
        self.ids.not_told_heading.opacity = 1 if cannot else 0
        for item in cannot:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(item.service.name), font_size="18sp"))
            card.add_widget(Factory.Body(text=item.reason))
            if item.missing:
                link = Factory.LinkButton(text=_(ADD_FIELD[item.missing[0]]))
                link.bind(on_release=lambda _b, f=item.missing[0]: app.go("details", focus=f))
                card.add_widget(link)
            not_told.add_widget(card)

    def ticked(self) -> list[str]:
        return [w.value for w in self.ids.told.children[::-1] if hasattr(w, "value") and w.chosen]

    def note_choices(self) -> None:
        self.app.draft["services"] = self.ticked()

    def continue_(self) -> None:
        app = self.app
        chosen = self.ticked()
        app.draft["services"] = chosen
        plan = self.plan_for(chosen, lambda: plan_tell(app.snapshot.profile, app.snapshot.catalogue, app.draft["event"],
                                                        chosen, app.draft.get("effective_date"),
                                                        language=translator.language))
        if plan is None:
            return
        app.plan = plan
        app.go("check")


SCREEN = WhoToTellScreen
