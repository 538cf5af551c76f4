"""Settings: language, text size and colours (live, saved); the endpoints URL, sign out, and delete everything
(after a confirmation)."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from portal.demo import FACILITATOR_KEY_SETTING
from portal.endpoint import clean_endpoint, split_facilitator_key
from portal.i18n import LANGUAGES, translator
from portal.trust import clean_fingerprint, display_fingerprint, save_trust_settings, stored_trust
from ui.base import BaseScreen
from ui.colours import THEME_NAMES, palette
from ui.i18n import N_, _
from ui.preferences import TEXT_SIZES, set_text_size, set_theme, text_size

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
        now = {"language": translator.language, "text_size": text_size(), "theme": palette.theme}
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
        now = {"language": translator.language, "text_size": text_size(), "theme": palette.theme}[key]
        if now == value:
            return
        if key == "language":
            translator.switch(value)
            said = _("Saved. The app is now in {language}.").format(language=LANGUAGES[value])
        elif key == "text_size":
            set_text_size(value)
            said = _("Saved. Text is now {size} of your device's size.").format(size=f"{value:.0%}")
        else:
            set_theme(value)
            said = _("Saved. Colours are now: {colours}.").format(colours=_(THEME_WORDS[value]))
        self.ids.done.text = said
        app = self.app
        if app.portal is not None:
            store = app.portal.store
            app.work(lambda: store.set_setting(key, value))

    def prepare(self, back: str | None = None, **_options) -> None:
        """``back``: the screen Settings was opened from (the header's link); Home otherwise."""
        self.ids.page.back = back or ("home" if self.app.snapshot.signed_in else "welcome")
        self.clear_errors()
        self.update(None)
        self.confirming = False
        self.ids.done.text = ""
        # Only an address the citizen saved: never the built-in services' own (a random port each start).
        self.ids.api_url.text = self.saved_endpoint() or ""
        pin = stored_trust(self.app.portal.store)[1] if self.app.portal else None
        self.ids.pin.text = display_fingerprint(pin) if pin else ""

    def saved_endpoint(self) -> str | None:
        portal = self.app.portal
        return portal.store.get_setting("api_url") if portal is not None and self.app.use_saved_api else None

    def choose_research(self, on: bool) -> None:
        if on != self.app.research_mode:
            self.app.set_research_mode(on)
            self.ids.done.text = _("Research mode is on.") if on else _("Research mode is off.")

    def save_endpoint(self) -> None:
        # The facilitator page's address (…/?key=KEY) gives the endpoints and the research key at once.
        address, key = split_facilitator_key(self.ids.api_url.text)
        url, errors = clean_endpoint(address)
        errors = [("api_url", message) for _field, message in errors]
        # A research mock's own certificate, pinned by the fingerprint its facilitator page shows (section 6).
        pin, pin_errors = clean_fingerprint(self.ids.pin.text)
        errors += pin_errors
        if self.show_errors(errors):
            return
        pin_changed = self.app.portal is not None and pin != stored_trust(self.app.portal.store)[1]
        self._switch_endpoints(url, key, pin, save_pin=pin_changed)

    def use_built_in(self) -> None:
        """Back to the endpoints the app started with (the built-in test services, or --api)."""
        self.clear_errors()
        self.ids.api_url.text = ""
        self._switch_endpoints(None)

    def _switch_endpoints(self, url: str | None, key: str | None = None, pin: str | None = None,
                          save_pin: bool = False) -> None:
        app = self.app
        before = app.portal.api_url if app.portal is not None else ""

        def make():
            store = app.portal.store
            store.set_setting("api_url", url)
            if key is not None:
                store.set_setting(FACILITATOR_KEY_SETTING, key)
            if save_pin:
                save_trust_settings(store, stored_trust(store)[0], pin)
            if app.portal_factory:
                return app.portal_factory(url)
            app.portal.reload_trust()  # the same Portal: its next call uses the new pin
            return app.portal

        def done(snapshot) -> None:
            if url is None:
                said = _("Saved. The app now uses the built-in test services.")
            elif snapshot.api_url == before and (key is not None or save_pin):
                said = _("Saved. The app still uses {url}.").format(url=url)  # the key or the pin was new
            elif snapshot.api_url == before:
                said = _("Nothing changed: the app already uses {url}.").format(url=url)
            else:
                said = _("Saved. The app now uses {url} instead of {before}.").format(url=url, before=before)
            self.ids.done.text = said

        app.replace_portal(make, done)

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
