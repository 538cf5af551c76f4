"""Settings: language, text size and colours (live, saved); the endpoints URL, sign out, and delete everything
(after a confirmation)."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from portal.demo import FACILITATOR_KEY_SETTING
from portal.endpoint import clean_endpoint, split_facilitator_key
from portal.i18n import LANGUAGES, translator
from portal.trust import clean_fingerprint, display_fingerprint, save_trust_settings, stored_trust
from screens.base import BaseScreen
from screens.colours import THEME_NAMES
from screens.i18n import N_, _
from screens.preferences import TEXT_SIZES, set_text_size, set_theme, text_size

THEME_WORDS = {"standard": N_("Standard colours"), "high_contrast": N_("High contrast: black on white")}


class SettingsScreen(BaseScreen):
    confirming = BooleanProperty(False)

    def on_kv_post(self, _base) -> None:
        for code, name in LANGUAGES.items():  # each language in its own words
            self._add(self.ids.languages, "language", code, name)
        for scale in TEXT_SIZES:
            self._add(self.ids.text_sizes, "text_size", scale, f"{scale:.0%}")
        for theme in THEME_NAMES:
            self._add(self.ids.themes, "theme", theme, _(THEME_WORDS[theme]))

    def _add(self, box, key: str, value, text: str) -> None:
        choice = Factory.Choice(text=text, value=str(value), radio=True, group=f"settings-{key}")
        choice.bind(state=lambda c, state, k=key, v=value: state == "down" and self.choose_preference(k, v))
        box.add_widget(choice)

    def update(self, _snapshot) -> None:
        """The chosen preferences ticked, in the citizen's language."""
        from screens.colours import C

        now = {"language": translator.language, "text_size": text_size(), "theme": C.theme}
        for key, box in (("language", self.ids.languages), ("text_size", self.ids.text_sizes),
                         ("theme", self.ids.themes)):
            for choice in box.children:
                chosen = choice.value == str(now[key]) or (key == "text_size" and abs(float(choice.value)
                                                                                      - now[key]) < 1e-6)
                if chosen != (choice.state == "down"):
                    choice.state = "down" if chosen else "normal"
                if key == "theme":
                    choice.text = _(THEME_WORDS[choice.value])

    def choose_preference(self, key: str, value) -> None:
        """Applied at once, then saved (off the UI thread) for the next start."""
        from screens.colours import C

        now = {"language": translator.language, "text_size": text_size(), "theme": C.theme}[key]
        if now == value:
            return
        if key == "language":
            translator.switch(value)
        elif key == "text_size":
            set_text_size(value)
        else:
            set_theme(value)
        app = self.app
        if app.portal is not None:
            store = app.portal.store
            app.work(lambda: store.set_setting(key, value))

    def prepare(self, **_options) -> None:
        self.clear_errors()
        self.update(None)
        self.confirming = False
        self.ids.done.text = ""
        self.ids.api_url.text = self.app.snapshot.api_url or (self.app.portal.api_url if self.app.portal else "")
        pin = stored_trust(self.app.portal.store)[1] if self.app.portal else None
        self.ids.pin.text = display_fingerprint(pin) if pin else ""

    def save_endpoint(self) -> None:
        # The facilitator page's address (…/?key=KEY) gives the endpoints and the research key at once.
        address, key = split_facilitator_key(self.ids.api_url.text)
        url, errors = clean_endpoint(address)
        errors = [("api_url", message) for _field, message in errors]
        # A research mock's own certificate, pinned by the fingerprint its facilitator page shows (section 6).
        pin, pin_errors = clean_fingerprint(self.ids.pin.text)
        errors += pin_errors
        self.show_errors(errors)
        if errors:
            return
        app = self.app

        def make():
            store = app.portal.store
            store.set_setting("api_url", url)
            if key is not None:
                store.set_setting(FACILITATOR_KEY_SETTING, key)
            save_trust_settings(store, stored_trust(store)[0], pin)
            if app.portal_factory:
                return app.portal_factory(url)
            app.portal.reload_trust()  # the same Portal: its next call uses the new pin
            return app.portal

        app.replace_portal(make, lambda _s: setattr(self.ids.done, "text", _("Now using {url}.").format(url=url)))

    def reset_demo(self) -> None:
        """Research sessions: everything back to the start, the persona signed in again."""
        self.app.reset_demo()

    def sign_out(self) -> None:
        app = self.app
        app.work(app.portal.session.sign_out, lambda _r: app.refresh(then=lambda: app.go("welcome")))

    def delete_everything(self) -> None:
        app = self.app
        if app.portal_factory is None:
            self.show_errors([("", _("Deleting is not available in this session."))])
            return

        def done() -> None:
            self.confirming = False
            app.root.get_screen("welcome").show_notice(_("Everything has been deleted from this device."))

        app.forget_everything(done)


SCREEN = SettingsScreen
