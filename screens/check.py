"""Check and agree: per service, the exact fields and values it will receive, the consent words, send."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.vocabulary import LABELS
from portal.display import display_value, format_date
from portal.i18n import translator
from portal.telling import already_told, commit_tell
from portal.wording import service_name, telling_lead
from ui.base import BaseScreen
from ui.i18n import _
from ui.widgets import plain_message


class CheckScreen(BaseScreen):
    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.ids.send.disabled = False
        plan = self.app.plan
        box = self.ids.services
        box.clear_widgets()
        self.ids.changes.clear_widgets()
        self.ids.warning.clear_widgets()
        if plan is None:
            return
        self.show_changes(plan.event)
        app = self.app
        app.work(lambda: already_told(app.portal.store, plan), lambda found: self.warn(plan, found),
                 lambda _error: None)
        lead = telling_lead(plan.event, len(plan.previews),
                            format_date(plan.effective_date) if plan.effective_date else None)
        self.ids.lead.text = (lead + " "
                              + _("Each receives exactly what is listed under it, and nothing else."))
        for preview in plan.previews:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(preview.service.name)))
            card.add_widget(Factory.Hint(text=_("Will receive:")))
            for name, value in preview.person.items():
                card.add_widget(Factory.DetailRow.of_field(name, value))
            card.add_widget(Factory.Hint(text=_("You agree:")))
            card.add_widget(Factory.InsetText(text=preview.statement))
            box.add_widget(card)

    def show_changes(self, event: str) -> None:
        """Old -> new for what changed (the new address, or a change saved in Your details)."""
        changes = self.app.draft.get("changes") if self.app.draft.get("event") == event else None
        for name, old, new in changes or []:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=_(LABELS[name]), font_size="18sp"))
            card.add_widget(Factory.DetailRow(label=_("Before"), value=display_value(name, old) or _("Not given")))
            card.add_widget(Factory.DetailRow(label=_("Now"), value=display_value(name, new)))
            self.ids.changes.add_widget(card)

    def warn(self, plan, found) -> None:
        """A service last told these very values: say so before the citizen agrees."""
        if plan is not self.app.plan or not found:
            return
        lines = [_("{service} was already told this on {date}. Sending it again tells them nothing new.").format(
            service=service_name(item.service.name, translator.language),
            date=format_date(item.when[:10]) if item.when else _("an earlier day")) for item in found]
        self.ids.warning.add_widget(Factory.Notice(tone="blue", title=_("Before you send"), text="\n\n".join(lines)))

    def agree(self) -> None:
        app = self.app
        plan = app.plan
        if plan is None:
            return
        self.ids.send.disabled = True
        app.work(lambda: commit_tell(app.portal.store, plan), self.sent, self.failed)

    def sent(self, ids: list[str]) -> None:
        app = self.app
        app.tell_ids = ids
        app.plan = None
        app.draft = {}
        app.show_sending("tell", "progress")

    def failed(self, error: BaseException) -> None:
        self.ids.send.disabled = False
        self.show_errors([("", plain_message(error))])


SCREEN = CheckScreen
