"""Someone has died: the registration reference first, as people type it; the register is read off the UI thread."""

from __future__ import annotations

from exchange.death import normalise_registration, registration_errors
from portal.death import read_register, register_message
from portal.i18n import translator
from ui.base import BaseScreen


class DeathReferenceScreen(BaseScreen):
    def prepare(self, **options) -> None:
        self.ids.go.disabled = False
        if options.get("fresh", False):
            self.clear_errors()
            self.ids.reference.text = ""
            self.app.death = {}
            if self.manager.has_screen("death_documents"):  # nothing typed stays from an earlier report
                self.manager.get_screen("death_documents").ids.numbers.clear_widgets()

    def continue_(self) -> None:
        reference = normalise_registration(self.ids.reference.text)
        errors = registration_errors(reference)
        if self.show_errors(errors):
            return
        app = self.app
        self.ids.go.disabled = True
        session = app.portal.session
        app.work(lambda: read_register(session, reference), lambda answer: self.read(reference, answer),
                 self.failed)

    def read(self, reference: str, answer) -> None:
        self.ids.go.disabled = False
        if answer.outcome in ("not_found", "malformed"):
            self.show_errors([("registration", register_message(answer.outcome, reference, translator.language))])
            return
        self.clear_errors()
        # Found, or offline / signed out: then the details are typed and each service checks the register.
        self.app.death = {"reference": reference, "register": answer.record if answer.outcome == "found" else None}
        self.app.go("death_confirm")

    def failed(self, error: BaseException) -> None:
        from ui.widgets import plain_message

        self.ids.go.disabled = False
        self.show_errors([("", plain_message(error))])


SCREEN = DeathReferenceScreen
