"""Settings: the endpoints URL, sign out, and delete everything (after a confirmation)."""

from __future__ import annotations

from kivy.properties import BooleanProperty

from portal.endpoint import clean_endpoint
from portal.views import delete_everything
from screens.base import BaseScreen


class SettingsScreen(BaseScreen):
    confirming = BooleanProperty(False)

    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.confirming = False
        self.ids.done.text = ""
        self.ids.api_url.text = self.app.snapshot.api_url or (self.app.portal.api_url if self.app.portal else "")

    def save_endpoint(self) -> None:
        url, errors = clean_endpoint(self.ids.api_url.text)
        errors = [("api_url", message) for _field, message in errors]
        self.show_errors(errors)
        if errors:
            return
        app = self.app

        def make():
            app.portal.store.set_setting("api_url", url)
            return app.portal_factory(url) if app.portal_factory else app.portal

        app.replace_portal(make, lambda _s: setattr(self.ids.done, "text", f"Now using {url}."))

    def reset_demo(self) -> None:
        """Research sessions: everything back to the start, the persona signed in again."""
        self.app.reset_demo()

    def sign_out(self) -> None:
        app = self.app
        app.work(app.portal.session.sign_out, lambda _r: app.refresh(then=lambda: app.go("welcome")))

    def delete_everything(self) -> None:
        app = self.app
        if app.portal_factory is None:
            self.show_errors([("", "Deleting is not available in this session.")])
            return

        def make():
            app.tell_ids = []
            delete_everything(app.portal)
            return None  # a fresh, empty portal from the factory

        def done(_snapshot) -> None:
            self.confirming = False
            app.go("welcome")
            app.root.get_screen("welcome").show_notice("Everything has been deleted from this device.")

        app.replace_portal(make, done)


SCREEN = SettingsScreen
