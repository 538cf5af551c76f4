"""Confirmation: every service told, each with its reference; the receipt saved as a PDF or JSON where the
citizen chooses (ui.saving: plyer's file chooser, or a plain folder where there is none)."""

from __future__ import annotations

from pathlib import Path

from kivy.factory import Factory

from portal.i18n import translator
from portal.receipt import Receipt, suggested_name, tell_receipt, write_receipt_json, write_receipt_pdf
from portal.wording import RECEIPT_LINE, service_name, when_sentence
from ui.base import BaseScreen
from ui.i18n import _
from ui.saving import fallback_folder, save_where_chosen
from ui.widgets import plain_message

FILTERS = {"pdf": [["PDF", "*.pdf"]], "json": [["JSON", "*.json"]]}


class ConfirmationScreen(BaseScreen):
    receipt: Receipt | None = None

    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.ids.saved.text = ""
        app = self.app
        tell_ids = set(app.tell_ids)
        tell_id = next((r.tell_id for r in app.snapshot.deliveries if r.id in tell_ids), None)
        app.work(lambda: tell_receipt(app.portal, tell_id), self.show, self.failed)

    def update(self, _snapshot) -> None:
        if self.receipt is not None:
            self.show(self.receipt)

    def show(self, receipt: Receipt) -> None:
        self.receipt = receipt
        self.ids.panel.text = _(RECEIPT_LINE[receipt.event]).format(when=when_sentence(receipt.agreed_at))
        box = self.ids.references
        box.clear_widgets()
        for line in receipt.lines:
            card = Factory.Card()
            card.add_widget(Factory.SubHeading(text=service_name(line.service_name), font_size="18sp"))
            if line.reference:
                card.add_widget(Factory.Body(text=_("Reference: {reference}").format(reference=line.reference),
                                             bold=True))
            else:
                card.add_widget(Factory.Body(text=_("No reference yet: this notification is still waiting to be "
                                                    "sent.")))
            if line.received_at:
                card.add_widget(Factory.Hint(text=_("Received on {when}").format(when=when_sentence(line.received_at))))
            box.add_widget(card)

    def failed(self, error: BaseException) -> None:
        message = (_("Your receipt could not be saved there. Choose another folder and try again.")
                   if isinstance(error, OSError) else plain_message(error))
        self.show_errors([("", message)])

    # -- saving the receipt where the citizen chooses

    def save(self, kind: str) -> None:
        receipt, app = self.receipt, self.app
        if receipt is None:
            return
        self.ids.saved.text = _("Saving your receipt…")  # the first PDF takes a second or so (fpdf2 loads)
        suggested = fallback_folder(Path(app.portal.home)) / suggested_name(receipt, kind)
        language = translator.language

        def write(path: Path) -> Path:
            return write_receipt_pdf(receipt, path, language) if kind == "pdf" else write_receipt_json(receipt, path)

        save_where_chosen(app, suggested, FILTERS[kind], write, self.written, self.failed)

    def written(self, path: Path | None) -> None:
        self.ids.saved.text = (_("Your receipt is saved in {path}").format(path=path) if path
                               else _("Nothing was saved."))


SCREEN = ConfirmationScreen
