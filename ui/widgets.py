"""The GOV.UK-style building blocks every screen uses; their look is in theme.kv.

A screen's kv file puts its content inside a ``Page``: the black header bar,
an optional back link, and a scroll view padded for the soft keyboard. Fields
show their own error in red beside them (with the red bar on the left), and an
``ErrorSummary`` at the top lists every problem, each a link to its field.
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior, ToggleButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

MAX_CONTENT_WIDTH = 720  # dp: one readable column, centred on a desktop window
# dp between the blocks of a page. Something hidden takes -PAGE_SPACING of height, so it leaves no gap.
PAGE_SPACING = 20


def plain_message(error: BaseException) -> str:
    """What a citizen reads when something fails: our own words, never a traceback."""
    from portal.errors import PortalError
    from ui.i18n import _, translate

    if isinstance(error, PortalError):  # args[0] may be a Message, shown in the citizen's language
        return translate(error.args[0]) if error.args else translate(str(error))
    return _("Sorry, something went wrong and this step did not finish. Nothing you had saved was lost. "
             "Try again.")


def delivery_card(service_name: str, tag: tuple[str, str], heading_size: str | None = None):
    """A card headed by a service's name and its delivery's coloured tag (Progress, a death's, Receipts)."""
    from ui.i18n import _

    card = Factory.Card()
    heading = Factory.SubHeading(text=service_name)
    if heading_size:
        heading.font_size = heading_size
    card.add_widget(heading)
    card.add_widget(Factory.Tag(text=_(tag[0]), tone=tag[1]))
    return card


class Heading(Label):
    pass


class SubHeading(Label):
    pass


class Body(Label):
    pass


class Hint(Label):
    pass


class ErrorText(Label):
    pass


class Tag(Label):
    """A coloured state label: DELIVERED, WAITING, NEEDS ATTENTION, VERIFIED.

    As wide as its words, or wrapped to the column when the words (long German, 200% text) are wider."""

    tone = StringProperty("grey")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._fit_trigger = Clock.create_trigger(self._fit, 0)
        self.fbind("text", self._fit_trigger)
        self.fbind("font_size", self._fit_trigger)
        self.fbind("parent", self._watch_parent)

    def _watch_parent(self, _tag, parent) -> None:
        if parent is not None:
            parent.fbind("width", self._fit_trigger)
        self._fit_trigger()

    def _fit(self, *_args) -> None:
        room = self.parent.width if self.parent is not None else 0
        if self.parent is not None and hasattr(self.parent, "padding"):
            room -= self.parent.padding[0] + self.parent.padding[2]
        natural, _height = self._label.get_extents(self.text)
        padding = self.padding[0] + self.padding[2]
        wanted = (room - padding, None) if room > padding and natural + padding > room else (None, None)
        if tuple(self.text_size) != wanted:
            self.text_size = wanted


ACTIVATE_KEYS = (13, 32, 271)  # Enter, Space, keypad Enter


class Focusable(FocusBehavior):
    """Reached with Tab and Shift-Tab in reading order (the widget tree's own order); Enter or Space
    presses it, as a click would. theme.kv draws the yellow focus ring (with its dark inner line)
    whenever ``focus`` is true, so where the keyboard is is always visible."""

    def keyboard_on_key_down(self, window, keycode, text, modifiers) -> bool:
        if keycode[0] in ACTIVATE_KEYS and not (set(modifiers) & {"ctrl", "alt", "meta"}):
            self.trigger_action(duration=0)
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def on_focus(self, _instance, focused: bool) -> None:
        if focused:
            scroll_into_view(self)


def scroll_into_view(widget) -> None:
    """Keep the focused control on screen inside its page (Tab to a control below the fold scrolls to it)."""
    scroll = widget.parent
    while isinstance(scroll, Widget) and not isinstance(scroll, PageScroll):  # (the Window is its own parent)
        scroll = scroll.parent
    if isinstance(scroll, PageScroll):
        Clock.schedule_once(lambda _dt: scroll.scroll_to(widget, padding=dp(96), animate=False), 0)


class PrimaryButton(Focusable, Button):
    pass


class SecondaryButton(Focusable, Button):
    pass


class WarningButton(Focusable, Button):
    pass


class ShowToggle(Focusable, ToggleButton):
    """A secret field's Show/Hide."""


class LinkButton(Focusable, Button):
    """Blue, underlined text that does something; at least 48 dp tall."""

    error = BooleanProperty(False)


class RowButton(Focusable, Button):
    """A summary row's Show/Hide: a link as wide as its words, so it never breaks inside a word."""


class ReadAloudButton(Focusable, Button):
    """The header's 'Read aloud': as wide as its words, up to half the header."""

    natural_width = NumericProperty(0)

    def on_kv_post(self, _base) -> None:
        self.fbind("text", self._measure)
        self.fbind("font_size", self._measure)
        self._measure()

    def _measure(self, *_args) -> None:
        self.natural_width = self._label.get_extents(self.text)[0] if self.text else 0


class SettingsLink(ReadAloudButton):
    """The header's 'Settings': on every screen, before sign-in too."""


class Card(BoxLayout):
    pass


class InsetText(BoxLayout):
    text = StringProperty("")


class PageScroll(ScrollView):
    """Scrolls the page; padded at the bottom by the soft keyboard's height so it never hides a field.

    One mouse-wheel notch moves three lines of text (``scroll_wheel_distance`` is in pixels; Kivy's
    20 px default took hundreds of notches down a long page)."""

    keyboard_height = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        Window.bind(keyboard_height=self._keyboard)

    def _keyboard(self, _window, height: float) -> None:
        self.keyboard_height = height
        focused = next((w for w in self.walk(restrict=True) if isinstance(w, TextInput) and w.focus), None)
        if focused is not None:
            Clock.schedule_once(lambda _dt: self.scroll_to(focused, padding=dp(96)), 0)


class PageBody(BoxLayout):
    pass


class Page(BoxLayout):
    """Header bar, back link and a scrolling column; children given in kv go into the column."""

    title = StringProperty("Tell Us Once")
    back = StringProperty("")  # the screen the back link returns to; "" for none

    def __init__(self, **kwargs) -> None:
        self._body = None
        super().__init__(**kwargs)
        self.orientation = "vertical"
        header = Factory.HeaderBar()
        self.read_link = header.ids.read
        self.read_link.bind(on_release=lambda *_: self.read_aloud())
        self.settings_link = header.ids.settings
        self.settings_link.bind(on_release=lambda *_: self.open_settings())
        self.bind(title=header.setter("title"))
        header.title = self.title
        super().add_widget(header)
        self.back_link = Factory.BackLink()
        self.back_link.bind(on_release=lambda *_: App.get_running_app().go(self.back))
        self.bind(back=self._show_back)
        self.scroll = PageScroll()
        self._body = PageBody()
        self.scroll.add_widget(self._body)
        super().add_widget(self.scroll)
        self._show_back(self, self.back)

    def _show_back(self, _page, back: str) -> None:
        if self._body is None:
            return
        if back and self.back_link.parent is None:
            self._body.add_widget(self.back_link, index=len(self._body.children))
        elif not back and self.back_link.parent is not None:
            self._body.remove_widget(self.back_link)

    def add_widget(self, widget, *args, **kwargs):
        if self._body is None:
            return super().add_widget(widget, *args, **kwargs)
        return self._body.add_widget(widget, *args, **kwargs)

    def read_aloud(self) -> str:
        """'Read this screen aloud': the screen this page is on, handed to the app (App.read_aloud, which
        uses ui.read_aloud: that module reads these widgets, so the arrow points from it to here only)."""
        from kivy.uix.screenmanager import Screen

        screen = self.parent
        while isinstance(screen, Widget) and not isinstance(screen, Screen):
            screen = screen.parent
        return App.get_running_app().read_aloud(screen if isinstance(screen, Screen) else self)

    def show_notice(self, text: str) -> None:
        """A message about the page's own header actions (Read aloud found no sound), at the top; "" removes it."""
        notice = getattr(self, "_notice", None)
        if notice is not None and notice.parent is not None:
            notice.parent.remove_widget(notice)
        self._notice = None
        if text and self._body is not None:
            self._notice = Factory.Notice(tone="blue", title=self.read_link.text,
                                          text=text)
            index = len(self._body.children) - (1 if self.back_link.parent is not None else 0)
            self._body.add_widget(self._notice, index=index)
            self.scroll_to_top()

    def open_settings(self) -> None:
        """Settings, and its back link returns to the screen it was opened from."""
        app = App.get_running_app()
        here = app.root.current if app.root is not None else ""
        if here and here != "settings":
            app.go("settings", back=here)

    def scroll_to_top(self) -> None:
        self.scroll.scroll_y = 1


class GovInput(TextInput):
    """A text box: black 2 dp border, red when wrong, yellow focus ring; scrolls itself into view.

    Enter submits the form it is in (the screen's ``submit``), as on a web page."""

    error = BooleanProperty(False)

    def on_focus(self, _instance, focused: bool) -> None:
        if not focused:
            return
        scroll = self.parent
        while isinstance(scroll, Widget) and not isinstance(scroll, PageScroll):
            scroll = scroll.parent
        if isinstance(scroll, PageScroll):
            # Now, before the keyboard is requested: with SDL2 on Android, Kivy hands Android the box's
            # place on screen at that moment (softinput_mode "below_target") and keyboard_height stays 0.
            scroll.scroll_to(self, padding=dp(96), animate=False)
            scroll.update_from_scroll()
            Clock.schedule_once(lambda _dt: scroll.scroll_to(self, padding=dp(96)), 0.1)

    def keyboard_on_key_down(self, window, keycode, text, modifiers) -> bool:
        if keycode[0] == 27:  # Escape: leave the box and let the app go back (Window.on_keyboard)
            self.focus = False
            return False
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def on_text_validate(self) -> None:
        screen = self.parent
        while isinstance(screen, Widget) and not hasattr(screen, "submit"):
            screen = screen.parent
        if isinstance(screen, Widget) and hasattr(screen, "submit"):
            Clock.schedule_once(lambda _dt: screen.submit(self), 0)


class Field(BoxLayout):
    """A labelled box with hint and error. ``secret`` hides the value behind a Show toggle."""

    name = StringProperty("")
    label = StringProperty("")
    hint = StringProperty("")
    error = StringProperty("")
    text = StringProperty("")
    secret = BooleanProperty(False)
    input_width = NumericProperty(0)  # dp; 0 for the column's full width
    input_filter = ObjectProperty(None, allownone=True)
    password = BooleanProperty(False)
    required = BooleanProperty(False)  # said to screen readers (ui.accessibility)

    def focus_input(self) -> None:
        self.ids.input.focus = True


class DateField(BoxLayout):
    """A date as day, month and year boxes (the GOV.UK date input)."""

    name = StringProperty("")
    label = StringProperty("")
    hint = StringProperty("")
    error = StringProperty("")

    def set_iso(self, value: str | None) -> None:
        parts = (value or "").split("-")
        if len(parts) == 3:
            year, month, day = parts
            self.ids.day.text, self.ids.month.text, self.ids.year.text = str(int(day)), str(int(month)), year
        else:
            self.ids.day.text = self.ids.month.text = self.ids.year.text = ""

    def iso(self) -> str | None:
        """'' boxes -> None; otherwise YYYY-MM-DD as typed, for the vocabulary to judge."""
        day, month, year = (self.ids.day.text.strip(), self.ids.month.text.strip(), self.ids.year.text.strip())
        if not (day or month or year):
            return None
        return f"{year:0>4}-{month:0>2}-{day:0>2}"

    def focus_input(self) -> None:
        self.ids.day.focus = True


class ErrorSummary(BoxLayout):
    """'There is a problem' and one red link per error; empty (and zero height) when all is well."""

    errors = ListProperty([])  # [(field, message)]
    chooser = ObjectProperty(None, allownone=True)  # called with the field's name

    def on_errors(self, _instance, errors: list) -> None:
        box = self.ids.links
        box.clear_widgets()
        for field, message in errors:
            link = Factory.LinkButton(text=message, error=True)
            link.bind(on_release=lambda _b, f=field: self.chooser and self.chooser(f))
            box.add_widget(link)
        if errors:  # GOV.UK: the keyboard moves to the summary, so the next Tab or Enter is on its first link
            first = box.children[-1]
            Clock.schedule_once(lambda _dt: setattr(first, "focus", first.parent is not None), 0)


class Notice(BoxLayout):
    """A GOV.UK notification banner: blue for information, green for success."""

    title = StringProperty("Important")
    text = StringProperty("")
    tone = StringProperty("blue")


class ChoiceMark(Widget):
    """A Choice's circle (radio) or square (checkbox); theme.kv draws it, its ring as thick as it is wide / 20."""

    ring = NumericProperty(2)


class Choice(Focusable, ToggleButtonBehavior, BoxLayout):
    """A radio button (with ``group``) or a checkbox, with its label; the whole row is the touch target."""

    text = StringProperty("")
    hint = StringProperty("")
    value = StringProperty("")
    radio = BooleanProperty(False)
    field = StringProperty("")  # the form field this choice answers (default: its group), for error links

    @property
    def chosen(self) -> bool:
        return self.state == "down"


class DetailRow(BoxLayout):
    """A summary-list row: the field's name, its value, and a VERIFIED tag when government vouches for it."""

    label = StringProperty("")
    value = StringProperty("")
    verified = BooleanProperty(False)
    action = StringProperty("")  # "Show"/"Hide" for masked values
    action_callback = ObjectProperty(None, allownone=True)

    @classmethod
    def of_field(cls, name: str, value) -> DetailRow:
        """A profile field as a row; an identifier masked, with Show/Hide, so no screenshot holds it whole."""
        from exchange.vocabulary import LABELS, SENSITIVE_FIELDS
        from portal.display import display_value
        from ui.i18n import _

        row = cls(label=_(LABELS[name]), value=display_value(name, value))
        if name in SENSITIVE_FIELDS:
            row.action = _("Show")
            row.action_callback = lambda shown: shown.show_or_hide(name, value)
        return row

    def show_or_hide(self, name: str, value) -> None:
        from portal.display import display_value
        from ui.i18n import _

        reveal = self.action == _("Show")
        self.value = display_value(name, value, reveal=reveal)
        self.action = _("Hide") if reveal else _("Show")


class Tappable(ButtonBehavior, BoxLayout):
    pass


class FilterChip(Focusable, ToggleButton):
    """One of a row of filters (receipts by service)."""

    value = StringProperty("")
