"""Progress and receipts of a death told: a row per service; once all have answered and been shown, the case goes."""

from __future__ import annotations

from kivy.factory import Factory

from portal.death import forget_tell
from portal.store import ENDED, Delivery, DeliveryState
from ui.base import BaseScreen
from ui.i18n import N_, _
from ui.screen_rules import Shown, shown_state

STATES = {
    Shown.SENDING: (N_("SENDING"), "blue"),
    Shown.DELIVERED: (N_("TOLD"), "green"),
    Shown.WAITING: (N_("WAITING"), "yellow"),
    Shown.NEEDS_ATTENTION: (N_("NOT TOLD"), "red"),
}


class DeathProgressScreen(BaseScreen):
    def prepare(self, **_options) -> None:
        self.update(self.app.snapshot)

    def rows(self, snapshot) -> list[Delivery]:
        ids = set((getattr(self.app, "death", None) or {}).get("delivery_ids") or ())
        return [row for row in snapshot.deliveries if row.id in ids]

    def update(self, snapshot) -> None:
        rows = self.rows(snapshot)
        box = self.ids.rows
        box.clear_widgets()
        told = sum(1 for row in rows if row.state == DeliveryState.DELIVERED)
        finished = bool(rows) and all(row.state in ENDED for row in rows)
        self.ids.lead.text = (_("{told} of {count} services told.") if finished else
                              _("{told} of {count} services told so far.")).format(told=told, count=len(rows))
        self.ids.done.clear_widgets()
        if finished:
            words = (_("Keep the references below. The details of the person who died have been deleted from this "
                       "device.") if told == len(rows) else
                     _("Keep the references below, and contact any service that could not be told yourself. The "
                       "details of the person who died have been deleted from this device."))
            self.ids.done.add_widget(Factory.Notice(tone="green" if told == len(rows) else "blue",
                                                    title=_("Every service has answered"), text=words))
        for row in rows:
            service = snapshot.catalogue.get(row.service) if snapshot.catalogue else None
            state = shown_state(row)
            label, tone = STATES.get(state, (state.upper(), "grey"))
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(service.name) if service else row.service, font_size="18sp"))
            card.add_widget(Factory.Tag(text=_(label), tone=tone))
            if state == Shown.DELIVERED:
                card.add_widget(Factory.Body(text=_("Their reference: {reference}").format(
                    reference=row.reference or _("not given"))))
            elif state == Shown.NEEDS_ATTENTION:
                card.add_widget(Factory.Body(text=_("The service said:")))
                card.add_widget(Factory.InsetText(text=row.last_error or ""))
                card.add_widget(Factory.Hint(text=_("Contact the service yourself, or start again with the right "
                                                    "details.")))
            else:
                card.add_widget(Factory.Body(text=_("Waiting to send. It goes as soon as the service answers.")))
            box.add_widget(card)
        self.ids.forget_now.opacity = 0 if finished else 1
        self.ids.forget_now.disabled = finished
        if finished and self.manager is not None and self.manager.current == self.name:
            self.forget(rows[0].tell_id)  # every answer is on screen: the case has done its job

    def forget(self, tell_id: str) -> None:
        app = self.app
        store = app.portal.store
        app.work(lambda: forget_tell(store, tell_id), lambda _r: None, lambda _e: None)

    def forget_now(self) -> None:
        rows = self.rows(self.app.snapshot)
        if rows:
            self.forget(rows[0].tell_id)
            self.ids.lead.text = _("The details of the person who died have been deleted from this device. "
                                   "Notifications already agreed will still be sent.")


SCREEN = DeathProgressScreen
