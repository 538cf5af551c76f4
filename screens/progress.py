"""Progress: a row per service, updating live as the courier sends."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory

from portal.history import tell_of
from portal.i18n import translator
from portal.store import Delivery, DeliveryState
from portal.telling import plan_tell
from portal.wording import NOTIFICATIONS_ABOUT, stored_message
from ui.base import BaseScreen
from ui.i18n import _
from ui.screen_rules import TAGS, Shown, local_time, rows_to_show, shown_state
from ui.widgets import delivery_card, plain_message

CARDS_PER_FRAME = 2  # cards built in one frame, at most (a card costs 5-10 ms on the UI thread)
NEXT_FRAME = 1 / 120  # a timeout of 0 set inside a Clock callback runs in the same frame (Clock.max_iteration)


def row_signature(row: Delivery) -> tuple:
    """What a row's card shows, and in which language: a card is rebuilt only when this changes."""
    return translator.language, shown_state(row), row.reference, row.due_at, row.last_error


class ProgressScreen(BaseScreen):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cards: dict[int, dict[str, tuple[tuple, object]]] = {}  # per box: delivery id -> (signature, card)

    def update(self, snapshot) -> None:
        self.confirm_when_all_delivered(snapshot)
        now, earlier = rows_to_show(snapshot.deliveries)
        signature = [(r.id, *row_signature(r)) for r in now + earlier]
        if signature == getattr(self, "_signature", None):
            return  # nothing a citizen would see has changed
        self._signature = signature
        self._budget, self._left = CARDS_PER_FRAME, False
        self.fill(self.ids.latest, now, snapshot)
        self.fill(self.ids.earlier, earlier, snapshot)
        if self._left:  # the rest on the next frames, so no one frame builds 24 cards
            self._signature = None
            Clock.schedule_once(lambda _dt: self.build_rest(), NEXT_FRAME)
        self.ids.earlier_heading.text = _("Earlier notifications still to finish") if earlier else ""
        if now:
            self.ids.lead.text = _(NOTIFICATIONS_ABOUT[now[0].event])
        else:
            self.ids.lead.text = _("You have not sent anything yet.")

    def confirm_when_all_delivered(self, snapshot) -> None:
        """Every notification of the tell just agreed delivered: on to the confirmation, once per tell."""
        app = self.app
        ids = set(app.tell_ids) if app else set()
        rows = [r for r in snapshot.deliveries if r.id in ids]
        if not rows or len(rows) != len(ids) or any(r.state != DeliveryState.DELIVERED for r in rows):
            return
        if getattr(self, "_confirmed", None) == rows[0].tell_id:
            return
        self._confirmed = rows[0].tell_id
        Clock.schedule_once(lambda _dt: self.manager.current == self.name and app.go("confirmation"), 0)

    def build_rest(self) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.update(self.app.snapshot)
        else:
            self.stale = True

    def fill(self, box, rows: list[Delivery], snapshot) -> None:
        """Build a card only for a row that is new or changed, at most CARDS_PER_FRAME a frame.

        Rebuilding every card on each change was most of the UI thread's time while 24 services
        answered (bench/responsiveness.py: 110 ms a redraw, 5-10 ms a card); the others keep their
        widgets. A row past the frame's budget keeps its old card, or waits, until the next frame.
        """
        kept = self._cards.get(id(box), {})
        cards: dict[str, tuple[tuple, object]] = {}
        for row in rows:
            signature = row_signature(row)
            old = kept.get(row.id)
            if old and old[0] == signature:
                cards[row.id] = old
            elif self._budget > 0:
                self._budget -= 1
                cards[row.id] = (signature, self.make_row(row, snapshot))
            else:
                self._left = True
                if old:
                    cards[row.id] = old
        self._cards[id(box)] = cards
        wanted = [card for _signature, card in cards.values()]
        shown = box.children[::-1]  # top to bottom
        if list(cards) == list(kept) and len(shown) == len(wanted):
            for old, new in zip(shown, wanted, strict=True):  # the same rows in the same order: swap changed cards
                if old is not new:
                    index = box.children.index(old)
                    box.remove_widget(old)
                    box.add_widget(new, index=index)
            return
        box.clear_widgets()
        for card in wanted:
            box.add_widget(card)

    def make_row(self, row: Delivery, snapshot):
        service = snapshot.catalogue.get(row.service) if snapshot.catalogue else None
        state = shown_state(row)
        card = delivery_card(_(service.name) if service else row.service, TAGS[state])
        if state == Shown.DELIVERED:
            card.add_widget(Factory.Body(text=_("Delivered. Their reference: {reference}").format(
                reference=row.reference or _("not given"))))
        elif state == Shown.SENDING:
            card.add_widget(Factory.Body(text=_("Sending now…")))
        elif state == Shown.WAITING:
            card.add_widget(Factory.Body(text=_("We will try again at {time}.").format(
                time=local_time(row.due_at, translator.language))))
            if row.last_error:
                card.add_widget(Factory.Hint(text=stored_message(row.last_error)))
            button = Factory.SecondaryButton(text=_("Retry now"))
            button.bind(on_release=lambda _b: self.app.retry_now())
            card.add_widget(button)
        elif state == Shown.NEEDS_ATTENTION:
            card.add_widget(Factory.Body(text=_("The department said:")))
            card.add_widget(Factory.InsetText(text=stored_message(row.last_error)
                                              or _("The service refused this notification.")))
            if row.event == "death":  # a death is told again from its own screens, not from your details
                card.add_widget(Factory.Hint(text=_("Contact the service yourself, or start again with the right "
                                                    "details.")))
                return card
            link = Factory.LinkButton(text=_("Change your details"))
            link.bind(on_release=lambda _b: self.app.go("details"))
            card.add_widget(link)
            button = Factory.SecondaryButton(text=_("Send again"))
            button.bind(on_release=lambda _b, r=row: self.send_again(r))
            card.add_widget(button)
        return card

    def send_again(self, row: Delivery) -> None:
        """After fixing a detail: the same event to the same service, checked and agreed again."""
        app = self.app

        def job():
            tell = tell_of(app.portal.store, row.id)
            return plan_tell(app.portal.store.current_profile(), app.portal.cached_catalogue(), row.event,
                             [row.service], tell["effective_date"] if tell else None,
                             language=translator.language)

        def planned(plan) -> None:
            app.plan = plan
            app.go("check")

        app.work(job, planned, lambda error: self.show_errors([("", plain_message(error))]))


SCREEN = ProgressScreen
