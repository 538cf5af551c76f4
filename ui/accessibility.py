"""Screen readers: the screen in view mirrored into an accessibility tree.

Kivy draws its own widgets and tells assistive technology nothing, so this module does it: AT-SPI on
Linux (Orca) through ui.atspi, a small provider in pure Python over D-Bus; UI Automation on Windows
(NVDA, Narrator) and NSAccessibility on macOS (VoiceOver) through the ``accesskit`` package's adapters.

The tree is built from the widget classes (ui/widgets.py, theme.kv), never per screen, so a new
screen is covered by itself: ``describe`` walks what is shown in reading order (the order Tab follows,
ui.keyboard) and turns it into plain ``Item`` data on the UI thread; the platform's side turns that
into what its accessibility interface wants, on its own thread (Linux) or with AccessKit nodes
(``tree_update``). A widget may say what it is with an ``a11y_role`` attribute (a role name below, or
"none" to hide it and its children); otherwise its class decides.

Nothing is done until a screen reader asks: the platform's side calls ``activated`` when accessibility is
switched on, and only then does the UI thread look at the screen (every ``WATCH_EVERY`` seconds, and at
once after an action); it stops again on ``deactivated``.

Why not AccessKit on Linux too (issue 13): accesskit 0.7.0's Unix adapter passes neither a heading's level
nor an invalid entry on to AT-SPI (docs/ACCESSIBILITY.md has the evidence), and its binding can deadlock
(it waits for the GIL while holding a lock that a caller holding the GIL waits for). The pure-Python
provider has neither problem: it holds no lock while it waits.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import NamedTuple

log = logging.getLogger(__name__)

ROOT_ID = 1
WATCH_EVERY = 0.2  # seconds between looks at the screen while a screen reader is on
SWITCH = "PORTAL_ACCESSIBILITY"  # "off": no adapter at all


class Item(NamedTuple):
    """One node of the tree, as plain data (built on the UI thread, compared to see what changed).

    A NamedTuple: thousands are made per look at a long screen, and a tuple is the cheapest to make."""

    id: int
    role: str  # an accesskit.Role name (ui.atspi.ROLES maps them to AT-SPI's)
    name: str = ""
    description: str = ""
    value: str | None = None
    level: int = 0
    toggled: bool | None = None
    invalid: bool = False
    required: bool = False
    disabled: bool = False
    live: str = ""  # "", "POLITE" or "ASSERTIVE"
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    actions: tuple[str, ...] = ()
    children: tuple[int, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    items: tuple[Item, ...]
    focus: int = ROOT_ID
    window: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, width, height
    widgets: dict = field(default_factory=dict, compare=False, hash=False)  # node id -> weak proxy of its widget


def _clean(text) -> str:
    return " ".join(str(text or "").replace("‹", "").split())


def _sentence(*parts: str) -> str:
    """Texts shown one after another, read as sentences (as read_aloud's script joins them)."""
    out = []
    for part in (_clean(p) for p in parts):
        if part:
            out.append(part if part.endswith((".", "?", "!", ":")) else part + ".")
    return " ".join(out)


# -- the widget tree (Kivy, UI thread)


def describe(window, title: str) -> Snapshot:
    """What is shown, as a tree of Items under one window node, with the focused node."""
    from kivy.uix.behaviors import ButtonBehavior, FocusBehavior, ToggleButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput
    from kivy.uix.widget import Widget

    from ui import widgets as w

    items: list[Item] = []
    widgets: dict = {}
    focus = [ROOT_ID]
    height = window.height
    offset = [0.0, 0.0]  # window position of the coordinate space the widget being visited lives in
    plain_to_parent = Widget.to_parent

    def bounds(widget) -> tuple[float, float, float, float]:
        # (to_window per widget walks every ancestor; the offset is carried down instead: ScrollView and
        # RelativeLayout translate, which is all this app uses)
        x, y = widget.x + offset[0], widget.y + offset[1]
        return (float(x), float(height - y - widget.height), float(x + widget.width), float(height - y))

    def shown(widget) -> bool:
        return widget.opacity > 0 and widget.width > 0 and widget.height > 0

    def node_id(widget, part: int = 0) -> int:
        return widget.uid * 4 + 8 + part  # uid is unique for the process's life; 4 ids per widget

    def add(widget, role: str, part: int = 0, **kwargs) -> int:
        nid = node_id(widget, part)
        kwargs.setdefault("bounds", bounds(widget))
        items.append(Item(id=nid, role=role, **kwargs))
        widgets[nid] = widget.proxy_ref  # weak: a widget gone from the screen is not kept alive
        if isinstance(widget, FocusBehavior) and widget.focus:
            focus[0] = nid
        return nid

    def entry(widget, box, name: str, description: str, invalid: bool, required: bool, secret: bool) -> int:
        """A text box: the TEXT_RUN child gives it AT-SPI's Text interface (what is typed, for reading)."""
        value = "\u2022" * len(box.text) if secret else box.text  # a bullet a character, as GTK's password boxes
        run = node_id(widget, 1)
        items.append(Item(id=run, role="TEXT_RUN", value=value, bounds=bounds(box)))
        nid = add(box, "PASSWORD_INPUT" if secret else "TEXT_INPUT", part=0, name=name, description=description,
                  value=value, invalid=invalid, required=required, disabled=box.disabled,
                  actions=("FOCUS", "CLICK"), children=(run,))
        return nid

    def heading_of(card) -> str:
        return next((c.text for c in card.walk(restrict=True) if isinstance(c, w.SubHeading | w.Heading)), "")

    def visit(widget) -> list[int]:
        if not shown(widget):
            return []
        role = getattr(widget, "a11y_role", "")
        if role == "none":
            return []
        for kind in (text_entry, control, shown_text):  # in this order: a widget may be more than one kind
            found = kind(widget, role)
            if found is not None:
                return found
        if role:
            return [add(widget, role, name=_clean(getattr(widget, "a11y_name", "")),
                        children=tuple(visit_children(widget)))]
        if _is_list(widget):
            return [add(widget, "LIST", children=tuple(visit_children(widget, each=list_item)))]
        return visit_children(widget)

    def text_entry(widget, role: str) -> list[int] | None:
        """A field, a date's three boxes, the error summary linking to them; None: not one of these."""
        if isinstance(widget, w.Field):
            ids = [entry(widget, widget.ids.input, _clean(widget.label), _sentence(widget.hint, widget.error),
                         bool(widget.error), bool(getattr(widget, "required", False)), widget.secret)]
            show = widget.ids.get("show")
            return ids + (visit(show) if show is not None else [])
        if isinstance(widget, w.DateField):
            boxes = []
            for key in ("day", "month", "year"):
                box = widget.ids[key]
                caption = getattr(box.parent, "caption", key)
                boxes.append(entry(box, box, _clean(caption), "", bool(widget.error), False, False))
            return [add(widget, "GROUP", name=_clean(widget.label), description=_sentence(widget.hint, widget.error),
                        invalid=bool(widget.error), children=tuple(boxes))]
        if isinstance(widget, w.ErrorSummary):
            if not widget.errors:
                return []
            links = visit_children(widget.ids.links)
            title = next((c.text for c in widget.children if isinstance(c, w.SubHeading)), "")
            return [add(widget, "ALERT", name=_sentence(title, *(m for _f, m in widget.errors)),
                        live="ASSERTIVE", children=tuple(links))]
        return None

    def control(widget, role: str) -> list[int] | None:
        """A radio or checkbox, a toggle, a button or link; None: not one of these."""
        if isinstance(widget, w.Choice):
            return [add(widget, role or ("RADIO_BUTTON" if widget.radio else "CHECK_BOX"), name=_clean(widget.text),
                        description=_clean(widget.hint), toggled=widget.state == "down", disabled=widget.disabled,
                        actions=("CLICK", "FOCUS"))]
        if isinstance(widget, ToggleButtonBehavior) and not isinstance(widget, w.ShowToggle):
            return [add(widget, role or "BUTTON", name=_clean(getattr(widget, "text", "")),
                        toggled=widget.state == "down", disabled=widget.disabled, actions=("CLICK", "FOCUS"))]
        if isinstance(widget, ButtonBehavior):
            text = _clean(getattr(widget, "text", ""))
            if not text:
                return []
            kind = role or ("LINK" if isinstance(widget, w.LinkButton | w.RowButton) else "BUTTON")
            return [add(widget, kind, name=text, disabled=widget.disabled, actions=("CLICK", "FOCUS"))]
        return None

    def shown_text(widget, role: str) -> list[int] | None:
        """A notice, a tag, a heading, a text box, a label; None: not one of these."""
        if isinstance(widget, w.Notice):
            return [add(widget, role or "STATUS", name=_sentence(widget.title, widget.text), live="POLITE")]
        if isinstance(widget, w.Tag):
            return tag(widget, role)
        if isinstance(widget, w.Heading | w.SubHeading):
            return [add(widget, "HEADING", name=_clean(widget.text), level=1 if isinstance(widget, w.Heading) else 2)] \
                if _clean(widget.text) else []
        if isinstance(widget, TextInput):
            return [entry(widget, widget, _clean(getattr(widget, "hint_text", "")), "", False, False, widget.password)]
        if isinstance(widget, Label):
            text = _clean(widget.text)
            if text and role == "HEADING":  # a label that says it is a heading (level 1 unless a11y_level)
                return [add(widget, role, name=text, level=int(getattr(widget, "a11y_level", 1)))]
            return [add(widget, role or "LABEL", name=text, value=text)] if text else []  # a LABEL's name is its value
        return None

    def tag(widget, role: str) -> list[int]:
        card = widget.parent
        while card is not None and not isinstance(card, w.Card) and card is not window:
            card = card.parent
        if not _clean(widget.text):
            return []
        if not isinstance(card, w.Card):  # a fixed mark such as VERIFIED
            return [add(widget, role or "LABEL", name=_clean(widget.text), value=_clean(widget.text))]
        # a card's state (a delivery's SENDING, DELIVERED): said when it changes, with whose state it is
        return [add(widget, role or "STATUS", name=_sentence(heading_of(card), widget.text), live="POLITE")]

    def list_item(row) -> list[int]:
        inner = visit_children(row) if shown(row) else []
        return [add(row, "LIST_ITEM", part=2, name=heading_of(row), children=tuple(inner))] if inner else []

    def visit_children(widget, each=visit) -> list[int]:
        """The children's nodes in reading order, in the widget's own coordinate space."""
        saved = offset[:]
        if getattr(widget.to_parent, "__func__", None) is not plain_to_parent:  # (ids are weak proxies)
            tx, ty = widget.to_parent(0, 0)
            offset[0], offset[1] = offset[0] + tx, offset[1] + ty
        try:
            return [i for child in reversed(widget.children) for i in each(child)]
        finally:
            offset[:] = saved

    top = [i for child in reversed(window.children) for i in visit(child)]
    items.append(Item(id=ROOT_ID, role="WINDOW", name=_clean(title), children=tuple(top),
                      bounds=(0.0, 0.0, float(window.width), float(window.height))))
    left, top_y = (getattr(window, "left", 0) or 0), (getattr(window, "top", 0) or 0)
    return Snapshot(items=tuple(items), focus=focus[0], window=(float(left), float(top_y), float(window.width),
                                                                 float(height)), widgets=widgets)


def _is_list(widget) -> bool:
    """A column of two or more cards or summary rows (progress, receipts, who will not be told) is a list."""
    from ui import widgets as w

    rows = [c for c in widget.children if c.opacity > 0 and c.height > 0]
    return len(rows) >= 2 and all(isinstance(c, w.Card | w.DetailRow) for c in rows)


# -- AccessKit nodes (any thread)


def tree_update(snapshot: Snapshot, with_tree: bool):
    import accesskit as ak

    update = ak.TreeUpdate(snapshot.focus)
    update.nodes = [(item.id, _node(ak, item)) for item in snapshot.items]
    if with_tree:
        tree = ak.Tree(ROOT_ID)
        tree.toolkit_name = "Kivy"
        update.tree = tree
    return update


def _node(ak, item: Item):
    """One widget's AccessKit node: its role, words, states, place, actions and children."""
    node = ak.Node(getattr(ak.Role, item.role))
    if item.name:
        node.set_label(item.name)
    if item.description:
        node.set_description(item.description)
    if item.value is not None:
        node.set_value(item.value)
        if item.role == "TEXT_RUN":
            node.set_character_lengths([len(ch.encode("utf-8")) for ch in item.value])
    if item.level:
        node.set_level(item.level)
    _set_states(ak, node, item)
    x0, y0, x1, y1 = item.bounds
    node.set_bounds(ak.Rect(x0, y0, x1, y1))
    for action in item.actions:
        node.add_action(getattr(ak.Action, action))
    if item.children:
        node.set_children(list(item.children))
    return node


def _set_states(ak, node, item: Item) -> None:
    if item.toggled is not None:
        node.set_toggled(ak.Toggled.TRUE if item.toggled else ak.Toggled.FALSE)
    if item.invalid:
        node.set_invalid(ak.Invalid.TRUE)
    if item.required:
        node.set_required()
    if item.disabled:
        node.set_disabled()
    if item.live:
        node.set_live(getattr(ak.Live, item.live))


# -- the platforms


class DirectAdapter:
    """Windows (UI Automation) and macOS (NSAccessibility): accesskit's subclassing adapters, called on the UI
    thread as they require; their activation comes through the window's own messages on that thread, which
    already holds the GIL, so the Unix deadlock does not arise. Wired from the package's API; not tried."""

    def __init__(self, adapter_factory, on_activated, on_action, on_deactivated) -> None:
        self._factory = adapter_factory
        self._on_activated, self._on_action = on_activated, on_action
        self._adapter = None
        self._sent_tree = False
        self.activations = 0

    def start(self) -> None:
        self._adapter = self._factory(self._activated, self._action)

    def stop(self) -> None:
        self._adapter = None

    def _activated(self):
        self.activations += 1
        self._on_activated()
        return None

    def _action(self, request) -> None:
        try:
            self._on_action(str(request.action).split(".")[-1], int(request.target))
        except Exception:  # pragma: no cover
            log.exception("accessibility action failed")

    def push(self, snapshot: Snapshot) -> None:
        if self._adapter is None:
            return
        update = tree_update(snapshot, with_tree=not self._sent_tree)
        events = self._adapter.update_if_active(lambda: update)
        self._sent_tree = True
        if events is not None:
            events.raise_events()


def _windows_factory(window):
    import accesskit as ak

    hwnd = window.get_window_info().window  # SDL2's HWND
    return lambda activated, action: ak.windows.SubclassingAdapter(hwnd, activated, action)


def _macos_factory(_window):
    import ctypes
    import ctypes.util

    import accesskit as ak

    objc = ctypes.cdll.LoadLibrary(ctypes.util.find_library("objc"))
    objc.objc_getClass.restype = objc.sel_registerName.restype = ctypes.c_void_p
    objc.objc_msgSend.restype = ctypes.c_void_p
    objc.objc_msgSend.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    app = objc.objc_msgSend(objc.objc_getClass(b"NSApplication"), objc.sel_registerName(b"sharedApplication"))
    ns_window = objc.objc_msgSend(app, objc.sel_registerName(b"keyWindow"))
    return lambda activated, action: ak.macos.SubclassingAdapter.for_window(ns_window, activated, action)


# -- the bridge (Kivy side)


class Bridge:
    """Follows the app's screen while a screen reader is on; carries out what it asks (click, focus)."""

    def __init__(self, app, platform_adapter_factory=None) -> None:
        from kivy.clock import Clock

        self.app = app
        self.active = False
        self._last: Snapshot | None = None
        self._widgets: dict = {}
        self._watch = None
        self._redrawn = False
        self._look_soon = Clock.create_trigger(self._look, 0.05)
        factory = platform_adapter_factory or platform_adapter
        self.platform = factory(self._activated, self._action, self._deactivated)

    def start(self) -> None:
        if self.platform is not None:
            self.platform.start()

    def stop(self) -> None:
        self._stop_watching()
        if self.platform is not None:
            self.platform.stop()

    # from the platform side's threads (the AT-SPI provider's, AccessKit's): hop onto the UI thread
    def _activated(self) -> None:
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: self._start_watching(), 0)

    def _deactivated(self) -> None:
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: self._stop_watching(), 0)

    def _action(self, action: str, target: int) -> None:
        from kivy.clock import Clock

        Clock.schedule_once(lambda _dt: self.perform(action, target), 0)

    # the UI thread
    def _start_watching(self) -> None:
        from kivy.clock import Clock
        from kivy.core.window import Window

        self.active = True
        self._last = None  # a fresh adapter needs the whole tree
        if self._watch is None:
            self._watch = Clock.schedule_interval(self._look_if_drawn, WATCH_EVERY)
            Window.bind(on_draw=self._drawn)
        self._look()

    def _stop_watching(self) -> None:
        from kivy.core.window import Window

        self.active = False
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
            Window.unbind(on_draw=self._drawn)
        self._widgets = {}

    def _drawn(self, *_args) -> None:
        self._redrawn = True

    def _look_if_drawn(self, *_args) -> None:
        """Kivy redraws the window only when something on it changed: no redraw, nothing to tell."""
        if self._redrawn:
            self._look()

    def _look(self, *_args) -> None:
        if not self.active:
            return
        self._redrawn = False
        from kivy.core.window import Window

        try:
            snapshot = describe(Window, self.app.title)
        except Exception as error:  # a screen the bridge cannot read must not stop the app
            log.warning("accessibility tree not built: %s", type(error).__name__)
            return
        self._widgets = snapshot.widgets
        if snapshot != self._last:
            self._last = snapshot
            self.platform.push(snapshot)

    def perform(self, action: str, target: int) -> bool:
        """CLICK presses a button or link, ticks a box, chooses a radio button, puts the cursor in a box;
        FOCUS moves the keyboard focus there (as Tab would)."""
        from kivy.uix.behaviors import ButtonBehavior, FocusBehavior

        widget = self._widgets.get(target)
        try:
            if widget is None or widget.disabled:
                return False
        except ReferenceError:  # gone from the screen since the reader last looked
            return False
        if action == "CLICK" and isinstance(widget, ButtonBehavior):
            widget.trigger_action(duration=0)
        elif action in ("CLICK", "FOCUS") and isinstance(widget, FocusBehavior):
            widget.focus = True
        else:
            return False
        self._look_soon()
        return True


def platform_adapter(on_activated, on_action, on_deactivated):
    """The platform's side: the AT-SPI provider on Linux, AccessKit's adapter on Windows and macOS, or None where
    there is none (Android: see docs/ACCESSIBILITY.md)."""
    if os.environ.get(SWITCH, "").lower() in ("off", "0", "no"):
        return None
    if "ANDROID_ARGUMENT" in os.environ:  # no adapter there, and buildozer.spec does not package accesskit
        return None
    from kivy.core.window import Window

    try:
        if sys.platform.startswith("linux"):
            if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
                return None  # no session bus: no AT-SPI to publish on
            from kivy import __version__ as kivy_version

            from ui.atspi import AtspiProvider

            return AtspiProvider(on_activated, on_action, on_deactivated, toolkit_version=kivy_version)
        import accesskit  # noqa: F401  (Windows and macOS only)

        if sys.platform == "win32":
            return DirectAdapter(_windows_factory(Window), on_activated, on_action, on_deactivated)
        if sys.platform == "darwin":
            return DirectAdapter(_macos_factory(Window), on_activated, on_action, on_deactivated)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # (a Rust panic arrives as a BaseException) no adapter: the app goes on
        log.warning("accessibility adapter not started: %s", type(error).__name__)
    return None


def start_bridge(app) -> Bridge | None:
    """Called once the window exists (TellUsOnceApp.on_start)."""
    bridge = Bridge(app)
    if bridge.platform is None:
        return None
    try:
        bridge.start()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # (a Rust panic arrives as a BaseException)
        log.warning("accessibility bridge not started: %s", type(error).__name__)
        return None
    return bridge
