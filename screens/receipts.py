"""Receipts, or who has my data: every delivery ever, filterable by service, exported to a JSON file."""

from __future__ import annotations

from pathlib import Path

from kivy.factory import Factory
from kivy.properties import StringProperty

from portal.death import sent_field_label
from portal.history import export_receipts, receipt_rows
from portal.i18n import translator
from portal.store import DeliveryState
from portal.wording import FIELD_IN_SENTENCE, RECEIPT_LINE, field_list, when_sentence
from ui.base import BaseScreen
from ui.i18n import _
from ui.saving import fallback_folder, save_where_chosen
from ui.screen_rules import TAGS, Shown
from ui.widgets import delivery_card, plain_message

STATE_OF_ROW = {DeliveryState.QUEUED: Shown.WAITING, DeliveryState.SENDING: Shown.SENDING,
                DeliveryState.DELIVERED: Shown.DELIVERED, DeliveryState.NEEDS_ATTENTION: Shown.NEEDS_ATTENTION,
                DeliveryState.SUPERSEDED: Shown.SUPERSEDED}


class ReceiptsScreen(BaseScreen):
    service = StringProperty("")  # "" for every service

    def update(self, snapshot) -> None:
        filters = self.ids.filters
        if snapshot.catalogue is not None and getattr(self, "_chips_in", None) != translator.language:
            self._chips_in = translator.language
            filters.clear_widgets()
            for service_id, text in [("", _("All"))] + [(s.id, s.id.upper()) for s in snapshot.catalogue.services]:
                chip = Factory.FilterChip(text=text, value=service_id,
                                          state="down" if service_id == self.service else "normal")
                chip.bind(on_release=lambda c: self.choose_service(c.value))
                filters.add_widget(chip)
        if self.manager and self.manager.current == self.name:
            self.load()

    def prepare(self, **_options) -> None:
        self.ids.exported.text = ""
        self.load()

    def choose_service(self, service: str) -> None:
        self.service = service
        for chip in self.ids.filters.children:
            chip.state = "down" if chip.value == service else "normal"
        self.load()

    def load(self) -> None:
        app, service = self.app, self.service or None
        app.work(lambda: receipt_rows(app.portal, service), self.show_rows)

    def show_rows(self, rows) -> None:
        box = self.ids.rows
        box.clear_widgets()
        if not rows:
            box.add_widget(Factory.Body(text=_("Nothing has been sent yet.") if not self.service
                                        else _("Nothing has been sent to this service yet.")))
        for row in rows:
            card = delivery_card(_(row.service_name), TAGS[STATE_OF_ROW[row.state]], heading_size="18sp")
            when = when_sentence(row.when) if len(row.when) >= 16 else row.when  # in local time
            line = RECEIPT_LINE.get(row.event)
            card.add_widget(Factory.Body(text=_(line).format(when=when) if line else f"{row.event}, {when}"))
            if row.reference:
                card.add_widget(Factory.Body(text=_("Reference: {reference}").format(reference=row.reference)))
            card.add_widget(Factory.Hint(text=_("Details sent: {fields}").format(
                fields=", ".join(sent_field_label(f) for f in row.fields) if row.event == "death"
                else field_list(f for f in row.fields if f in FIELD_IN_SENTENCE))))
            box.add_widget(card)

    def export(self) -> None:
        """Every notification ever, as JSON, saved where the citizen chooses (ui.saving)."""
        app = self.app
        folder = app.export_dir or fallback_folder(Path(app.portal.home))
        suggested = folder / "tell-us-once-receipts.json"
        save_where_chosen(app, suggested, [["JSON", "*.json"]],
                          lambda path: export_receipts(app.portal, path.parent, path.name), self.exported,
                          lambda error: self.show_errors([("", plain_message(error))]))

    def exported(self, path: Path | None) -> None:
        self.ids.exported.text = _("Saved to {path}").format(path=path) if path else _("Nothing was saved.")


SCREEN = ReceiptsScreen
