"""What every screen shares: showing errors beside fields and in the summary, and reaching the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.uix.screenmanager import Screen

from ui.i18n import N_, translate
from ui.widgets import Choice, DateField, Field, PrimaryButton, SecondaryButton, plain_message


def languages_changed(screen) -> bool:
    """True once per language switch for this screen: for screens that must not redraw on every refresh."""
    from portal.i18n import translator

    changed = getattr(screen, "_drawn_language", None) not in (None, translator.language)
    screen._drawn_language = translator.language
    return changed


class BaseScreen(Screen):
    """A screen the app shows: the app calls ``update`` and ``prepare`` on every one, so a screen
    overrides what it needs and inherits a no-op for the rest."""

    stale = True  # the snapshot changed since this screen last drew it

    @property
    def app(self):
        return App.get_running_app()

    def update(self, snapshot) -> None:
        """Draw the app's latest snapshot (app.portal_app.Snapshot): for the screen in view at once, for
        the others when next shown."""

    def prepare(self, **options) -> None:
        """Set up for arriving, with the options the app's ``go(name, **options)`` was given."""

    def fields(self) -> dict[str, Field | DateField]:
        return {w.name: w for w in self.walk(restrict=True) if isinstance(w, Field | DateField) and w.name}

    def show_errors(self, errors: list[tuple[str, str]]) -> bool:
        """Each message beside its field (the first per field) and every one in the summary at the top;
        none clears them. True when there was any, so a Continue reads ``if self.show_errors(errors): return``.

        Messages (the vocabulary's Message, a portal text) are shown in the citizen's language."""
        errors = [(name, translate(message)) for name, message in errors]
        fields = self.fields()
        for widget in fields.values():
            widget.error = ""
        for name, message in errors:
            widget = fields.get(name) or fields.get(name.split(".")[0])
            if widget is not None and not widget.error:
                widget.error = message
        summary = self.ids.get("summary")
        if summary is not None:
            summary.chooser = self.choose
            summary.errors = list(errors)
        note_errors = getattr(self.app, "note_errors", None)
        if errors and note_errors is not None:
            note_errors(errors)
        page = self.ids.get("page")
        if page is not None and errors:
            page.scroll_to_top()
        return bool(errors)

    def clear_errors(self) -> None:
        self.show_errors([])

    def plan_for(self, chosen: list[str], plan: Callable[[], Any]) -> Any:
        """Who to tell's Continue: the plan for the ticked services, or None with every problem shown
        (nothing ticked, or the plan refused: portal.telling.TellRefused)."""
        from portal.telling import TellRefused

        if not chosen:
            self.show_errors([("services", N_("Select at least one service to tell"))])  # shown translated
            return None
        try:
            return plan()
        except TellRefused as refused:
            self.show_errors(refused.errors)
            return None

    def send_once(self, commit: Callable[[], Any], sent: Callable[[Any], None]) -> None:
        """Agree and send: the button stays off while the tell is saved, so a second tap cannot save it twice;
        a failure turns it back on, with what went wrong in the citizen's words."""
        def failed(error: BaseException) -> None:
            self.ids.send.disabled = False
            self.show_errors([("", plain_message(error))])

        self.ids.send.disabled = True
        self.app.work(commit, sent, failed)

    def submit(self, source=None) -> None:
        """Enter in a text box: press the form's button, the first Primary or Secondary button after the box
        in reading order (Sign in, Save your details, Continue, Save the address)."""
        passed = source is None
        for widget in self.walk(restrict=True):
            if widget is source:
                passed = True
            elif passed and isinstance(widget, PrimaryButton | SecondaryButton) and not widget.disabled \
                    and widget.opacity > 0:
                widget.trigger_action(duration=0)
                return

    def choose(self, name: str) -> None:
        """A summary link: move to the field and put the cursor in it; for radios and checkboxes, the one
        the error names ("services.hmrc") or else the first of the question ("event", "services")."""
        fields = self.fields()
        widget = fields.get(name) or fields.get(name.split(".")[0])
        if widget is not None:
            widget.focus_input()
            return
        choice = self._choice_named(name)
        if choice is not None:
            choice.focus = True

    def _choice_named(self, name: str):
        """The radio or checkbox an error names ("services.hmrc"), else the first of its question; None."""
        choices = [w for w in self.walk(restrict=True) if isinstance(w, Choice)]
        question, _dot, answer = name.partition(".")
        named = [c for c in choices if answer and c.value == answer and (c.field or c.group) in (question, None, "")]
        asked = [c for c in choices if (c.field or c.group) == question]
        return (named or asked or [None])[0]
