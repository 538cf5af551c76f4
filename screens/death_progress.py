"""Progress and receipts of a death told: a row per service; once all have answered and been shown, the case goes."""

from __future__ import annotations

from kivy.factory import Factory

from portal.death import forget_tell
from portal.store import ENDED, Delivery, DeliveryState
from ui.base import BaseScreen
from ui.i18n import _
from ui.screen_rules import DEATH_TAGS, Shown, shown_state
from ui.widgets import delivery_card


class DeathProgressScreen(BaseScreen):
    def prepare(self, **_options) -> None:
        self.update(self.app.snapshot)

    def rows(self, snapshot) -> list[Delivery]:
        ids = set((getattr(self.app, "death", None) or {}).get("delivery_ids") or ())
        return [row for row in snapshot.deliveries if row.id in ids]

    def update(self, snapshot) -> None:
        rows = self.rows(snapshot)
        finished = bool(rows) and all(row.state in ENDED for row in rows)
        self.show_summary(rows, finished)
        box = self.ids.rows
        box.clear_widgets()
        for row in rows:
            box.add_widget(self.card(row, snapshot))
        self.ids.forget_now.opacity = 0 if finished else 1
        self.ids.forget_now.disabled = finished
        if finished and self.manager is not None and self.manager.current == self.name:
            self.forget(rows[0].tell_id)  # every answer is on screen: the case has done its job

    def show_summary(self, rows: list[Delivery], finished: bool) -> None:
        """How many are told; once every service has answered, what to keep and that the details are gone."""
        told = sum(1 for row in rows if row.state == DeliveryState.DELIVERED)
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

    def card(self, row: Delivery, snapshot):
        """One service's card: its name, its state, and its reference or its words."""
        service = snapshot.catalogue.get(row.service) if snapshot.catalogue else None
        state = shown_state(row)
        card = delivery_card(_(service.name) if service else row.service, DEATH_TAGS[state], heading_size="18sp")
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
        return card

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
