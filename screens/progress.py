"""Progress: a row per service, updating live as the courier sends."""

from __future__ import annotations

from kivy.factory import Factory

from portal.i18n import translator
from portal.telling import EVENTS, plan_tell
from portal.views import tell_of
from screens.base import BaseScreen
from screens.i18n import N_, _
from screens.logic import local_time, rows_to_show, shown_state
from screens.widgets import plain_message

STATES = {
    "sending": (N_("SENDING"), "blue"),
    "delivered": (N_("DELIVERED"), "green"),
    "waiting": (N_("WAITING"), "yellow"),
    "needs_attention": (N_("NEEDS YOUR ATTENTION"), "red"),
}


class ProgressScreen(BaseScreen):
    def update(self, snapshot) -> None:
        now, earlier = rows_to_show(snapshot.deliveries)
        signature = [(r["id"], shown_state(r), r["reference"], r["due_at"], r["last_error"]) for r in now + earlier]
        signature.append(translator.language)
        if signature == getattr(self, "_signature", None):
            return  # nothing a citizen would see has changed
        self._signature = signature
        self.fill(self.ids.latest, now, snapshot)
        self.fill(self.ids.earlier, earlier, snapshot)
        self.ids.earlier_heading.text = _("Earlier notifications still to finish") if earlier else ""
        if now:
            self.ids.lead.text = _("Your notifications about {event}.").format(event=_(EVENTS[now[0]["event"]]))
        else:
            self.ids.lead.text = _("You have not sent anything yet.")

    def fill(self, box, rows: list[dict], snapshot) -> None:
        box.clear_widgets()
        for row in rows:
            box.add_widget(self.make_row(row, snapshot))

    def make_row(self, row: dict, snapshot):
        service = snapshot.catalogue.get(row["service"]) if snapshot.catalogue else None
        state = shown_state(row)
        label, tone = STATES.get(state, (state.upper(), "grey"))
        card = Factory.Card()
        card.add_widget(Factory.SubHeading(text=service.name if service else row["service"]))
        card.add_widget(Factory.Tag(text=_(label), tone=tone))
        if state == "delivered":
            card.add_widget(Factory.Body(text=_("Delivered. Their reference: {reference}").format(
                reference=row["reference"] or _("not given"))))
        elif state == "sending":
            card.add_widget(Factory.Body(text=_("Sending now…")))
        elif state == "waiting":
            card.add_widget(Factory.Body(text=_("We will try again at {time}.").format(
                time=local_time(row["due_at"], translator.language))))
            if row["last_error"]:
                card.add_widget(Factory.Hint(text=row["last_error"]))
            button = Factory.SecondaryButton(text=_("Retry now"))
            button.bind(on_release=lambda _b: self.app.retry_now())
            card.add_widget(button)
        elif state == "needs_attention":
            card.add_widget(Factory.Body(text=_("The department said:")))
            card.add_widget(Factory.InsetText(text=row["last_error"] or _("The service refused this notification.")))
            link = Factory.LinkButton(text=_("Change your details"))
            link.bind(on_release=lambda _b: self.app.go("details"))
            card.add_widget(link)
            button = Factory.SecondaryButton(text=_("Send again"))
            button.bind(on_release=lambda _b, r=row: self.send_again(r))
            card.add_widget(button)
        return card

    def send_again(self, row: dict) -> None:
        """After fixing a detail: the same event to the same service, checked and agreed again."""
        app = self.app

        def job():
            tell = tell_of(app.portal.store, row["id"])
            return plan_tell(app.portal.store.current_profile(), app.portal.cached_catalogue(), row["event"],
                             [row["service"]], tell["effective_date"] if tell else None,
                             language=translator.language)

        def planned(plan) -> None:
            app.plan = plan
            app.go("check")

        app.work(job, planned, lambda error: self.show_errors([("", plain_message(error))]))


SCREEN = ProgressScreen
