"""Screen readers on Linux: a small AT-SPI provider in pure Python over D-Bus (jeepney), fed by the same
``Snapshot`` that ui.accessibility builds for every platform.

Why not AccessKit's Unix adapter (accesskit 0.7.0): it never tells AT-SPI a heading's level, nor that a
field is invalid (docs/ACCESSIBILITY.md has the pyatspi evidence), and its binding can deadlock against the
GIL. This provider answers what Orca asks through the interfaces Orca uses (Accessible, Component, Action,
Text, Application), registers with the AT-SPI registry (``Socket.Embed``) and sends the events Orca listens
for (state, name, children and text changes, window activation, announcements).

Threads: everything D-Bus happens on one ``a11y-atspi`` thread, which owns both connections and the tree it
answers from. The UI thread only hands it a finished snapshot (``push``: an assignment under a lock held
for nothing else, and a byte written to a socket pair); requests for actions go back to the UI thread
through ``on_action`` (the bridge schedules them with Kivy's Clock) and are answered at once without
waiting for them. No lock is ever held while waiting on another thread, so there is nothing to deadlock on.

Nothing is done until a screen reader asks: the thread watches ``IsEnabled``/``ScreenReaderEnabled`` on the
session bus (org.a11y.Status); only while either is true does it join the accessibility bus and call
``on_activated`` (the bridge then starts looking at the screen). Switched off, it leaves the bus (the
registry drops the app) and calls ``on_deactivated``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import socket
import threading
from collections.abc import Callable
from functools import cached_property

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_call, new_method_return, new_signal
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.blocking import open_dbus_connection

log = logging.getLogger(__name__)

PREFIX = "/org/a11y/atspi/accessible/"
APP_PATH = PREFIX + "root"
NULL_PATH = "/org/a11y/atspi/null"
CACHE_PATH = "/org/a11y/atspi/cache"
A11Y_BUS = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus")
REGISTRY = "org.a11y.atspi.Registry"
ACCESSIBLE, COMPONENT, ACTION, TEXT, APPLICATION = (f"org.a11y.atspi.{i}" for i in
                                                    ("Accessible", "Component", "Action", "Text", "Application"))
PROPERTIES = "org.freedesktop.DBus.Properties"
EVENT_OBJECT = "org.a11y.atspi.Event.Object"
EVENT_WINDOW = "org.a11y.atspi.Event.Window"

# AT-SPI roles (AtspiRole) for the bridge's role names; Core-AAM's mapping for ARIA alert, status and group.
ROLES = {
    "APPLICATION": (75, "application"), "WINDOW": (23, "frame"), "BUTTON": (43, "push button"),
    "TOGGLE_BUTTON": (62, "toggle button"), "LINK": (88, "link"), "CHECK_BOX": (7, "check box"),
    "RADIO_BUTTON": (44, "radio button"), "TEXT_INPUT": (79, "entry"), "PASSWORD_INPUT": (40, "password text"),
    "HEADING": (83, "heading"), "LABEL": (29, "label"), "LIST": (31, "list"), "LIST_ITEM": (32, "list item"),
    "ALERT": (101, "notification"), "STATUS": (54, "status bar"), "GROUP": (39, "panel"),
}
UNKNOWN_ROLE = (67, "unknown")
# AtspiStateType numbers
(ACTIVE, CHECKED, DEFUNCT, EDITABLE, ENABLED, FOCUSABLE, FOCUSED, PRESSED, SENSITIVE, SHOWING, SINGLE_LINE,
 VISIBLE, REQUIRED, INVALID_ENTRY, SELECTABLE_TEXT, CHECKABLE) = (1, 4, 6, 7, 8, 11, 12, 20, 24, 25, 26, 30, 33,
                                                                  36, 38, 41)
STATE_NAMES = {FOCUSED: "focused", CHECKED: "checked", INVALID_ENTRY: "invalid-entry", REQUIRED: "required",
               ENABLED: "enabled", SENSITIVE: "sensitive", PRESSED: "pressed"}
POLITENESS = {"POLITE": 1, "ASSERTIVE": 2}  # AtspiLive
ACTION_NAMES = {"CLICK": "click", "FOCUS": "focus"}
ENTRIES = ("TEXT_INPUT", "PASSWORD_INPUT")
TEXT_ROLES = (*ENTRIES, "LABEL", "HEADING")
NO_EVENT_DATA = ("i", 0)


def role_of(item) -> tuple[int, str]:
    if item.role == "BUTTON" and item.toggled is not None:
        return ROLES["TOGGLE_BUTTON"]
    return ROLES.get(item.role, UNKNOWN_ROLE)


def text_of(item) -> str:
    return item.value if item.role in ENTRIES else (item.value or item.name)


def states_of(item, focus: int) -> set[int]:
    states = {VISIBLE, SHOWING}
    if not item.disabled:
        states |= {ENABLED, SENSITIVE}
    if item.role == "WINDOW":
        states.add(ACTIVE)
    if "FOCUS" in item.actions:
        states.add(FOCUSABLE)
    if item.id == focus:
        states.add(FOCUSED)
    if item.toggled is not None:
        states.add(CHECKABLE)
        if item.toggled:
            states |= {CHECKED, PRESSED} if item.role == "BUTTON" else {CHECKED}
    if item.role in ENTRIES:
        states |= {EDITABLE, SINGLE_LINE, SELECTABLE_TEXT}
    if item.required:
        states.add(REQUIRED)
    if item.invalid:
        states.add(INVALID_ENTRY)
    return states


def state_words(states: set[int]) -> list[int]:
    """AT-SPI's state set: a bit field in two 32-bit words."""
    words = [0, 0]
    for state in states:
        words[state // 32] |= 1 << (state % 32)
    return words


def attributes_of(item) -> dict[str, str]:
    attributes = {"toolkit": "Kivy"}
    if item.level:
        attributes["level"] = str(item.level)
    if item.live:
        live = item.live.lower()
        attributes.update({"live": live, "container-live": live, "atomic": "true", "container-atomic": "true"})
    return attributes


class Tree:
    """One snapshot, indexed for answering: items by id, each shown node's parent (TEXT_RUNs are AccessKit's
    way to give an entry its text; here the entry has it itself)."""

    def __init__(self, snapshot) -> None:
        self.snapshot = snapshot
        self.items = {item.id: item for item in snapshot.items if item.role != "TEXT_RUN"}
        self.children: dict[int, tuple[int, ...]] = {}
        self.parent: dict[int, int] = {}
        for item in self.items.values():
            kids = tuple(c for c in item.children if c in self.items)
            self.children[item.id] = kids
            for kid in kids:
                self.parent[kid] = item.id
        self.focus = snapshot.focus
        self.root_id = next((i.id for i in snapshot.items if i.role == "WINDOW"), None)

    def screen_offset(self) -> tuple[int, int]:
        return int(self.snapshot.window[0]), int(self.snapshot.window[1])


class AtspiProvider:
    """The app on the accessibility bus while a screen reader is on. ``start``/``stop``/``push`` are the
    bridge's platform interface (ui.accessibility.Bridge)."""

    def __init__(self, on_activated: Callable[[], None], on_action: Callable[[str, int], None],
                 on_deactivated: Callable[[], None], app_name: str = "Tell Us Once",
                 toolkit_version: str = "") -> None:
        self._on_activated, self._on_action, self._on_deactivated = on_activated, on_action, on_deactivated
        self.app_name, self.toolkit_version = app_name, toolkit_version
        self._pending = None  # the newest snapshot from the UI thread, not yet taken
        self._handover = threading.Lock()  # held only to swap _pending, never while waiting for anything
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="a11y-atspi", daemon=True)
        self._session = None
        self._bus = None  # the accessibility bus, while enabled
        self._selector: selectors.BaseSelector | None = None
        self._replies: dict[tuple[int, int], Callable] = {}  # (connection id, serial) -> what to do with the reply
        self._enabled = {"IsEnabled": False, "ScreenReaderEnabled": False}
        self._connecting = False
        self._desktop = ("", NULL_PATH)
        self._app_id = 0
        self._tree: Tree | None = None  # None: no snapshot yet, an application with no window
        self._activated_window = False
        self.activations = 0

    # -- the bridge's side (any thread)

    @property
    def on_bus(self) -> bool:
        """Joined to the accessibility bus (a screen reader is on)."""
        return self._bus is not None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self._poke()
        self._thread.join(timeout=5)

    def push(self, snapshot) -> None:
        """The latest screen. Never blocks: the a11y-atspi thread takes only the newest."""
        with self._handover:
            self._pending = snapshot
        self._poke()

    def _poke(self) -> None:
        with contextlib.suppress(OSError):  # (BlockingIOError: already awake, with bytes waiting)
            self._wake_w.send(b"\0")

    # -- the a11y-atspi thread

    def _run(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            self._session = open_dbus_connection("SESSION")
        except Exception as error:  # no session bus: no AT-SPI to publish on
            log.info("accessibility: no session bus (%s)", type(error).__name__)
            return
        self._selector.register(self._session.sock, selectors.EVENT_READ, self._session)
        self._watch_switch()
        try:
            while not self._stopping:
                for key, _events in self._selector.select():
                    if key.data == "wake":
                        self._drain_wake()
                    elif key.data is self._session or key.data is self._bus:
                        self._read(key.data)
                with self._handover:
                    snapshot, self._pending = self._pending, None
                if snapshot is not None and self._bus is not None:
                    self._take(snapshot)
        except Exception:  # pragma: no cover - the app must go on without its screen reader
            log.exception("accessibility provider stopped")
        finally:
            self._leave_bus(tell=False)
            self._session.close()
            self._selector.close()

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while self._wake_r.recv(4096):
                pass

    def _read(self, connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            if connection is self._bus:
                self._leave_bus()
                return
            raise ConnectionError("the session bus went away")
        connection.parser.add_data(data)
        while connection is self._bus or connection is self._session:
            message = connection.parser.get_next_message()
            if message is None:
                return
            self._dispatch(connection, message)

    def _dispatch(self, connection, message) -> None:
        kind = message.header.message_type
        fields = message.header.fields
        if kind in (MessageType.method_return, MessageType.error):
            then = self._replies.pop((id(connection), fields.get(HeaderFields.reply_serial)), None)
            if then is not None:
                then(message if kind == MessageType.method_return else None)
        elif kind == MessageType.signal:
            self._signal(message)
        elif kind == MessageType.method_call and connection is self._bus:
            try:
                reply = self._answer(message)
            except Exception as error:  # a bad request gets an error, never a stopped provider
                log.debug("accessibility request failed: %s", error)
                reply = new_error(message, "org.freedesktop.DBus.Error.Failed", "s", (type(error).__name__,))
            if reply is not None:
                self._send(connection, reply)

    def _call(self, connection, message, then: Callable | None = None) -> None:
        serial = next(connection.outgoing_serial)
        if then is not None:
            self._replies[(id(connection), serial)] = then
        self._send(connection, message, serial)

    def _send(self, connection, message, serial: int | None = None) -> None:
        try:
            connection.send(message, serial=serial)
        except OSError:  # the accessibility bus gone (its launcher ended): as if switched off
            if connection is not self._bus:
                raise
            self._leave_bus()

    # the switch: org.a11y.Status on the session bus

    def _watch_switch(self) -> None:
        session = self._session
        owner = MatchRule(type="signal", interface="org.freedesktop.DBus", member="NameOwnerChanged",
                          path="/org/freedesktop/DBus")
        owner.add_arg_condition(0, "org.a11y.Bus")
        switch = MatchRule(type="signal", interface=PROPERTIES, member="PropertiesChanged", path="/org/a11y/bus")
        for rule in (switch, owner):
            self._call(session, message_bus.AddMatch(rule))
        self._ask_switch()

    def _ask_switch(self) -> None:
        for name in self._enabled:
            self._call(self._session, new_method_call(A11Y_BUS.with_interface(PROPERTIES), "Get", "ss",
                                                      ("org.a11y.Status", name)),
                       lambda reply, name=name: self._switched({name: reply.body[0][1]} if reply else {name: False}))

    def _signal(self, message) -> None:
        fields = message.header.fields
        member = fields.get(HeaderFields.member)
        if member == "PropertiesChanged" and message.body and message.body[0] == "org.a11y.Status":
            self._switched({k: v[1] for k, v in message.body[1].items() if k in self._enabled})
        elif member == "NameOwnerChanged" and message.body and message.body[0] == "org.a11y.Bus":
            self._ask_switch() if message.body[2] else self._switched(dict.fromkeys(self._enabled, False))

    def _switched(self, values: dict) -> None:
        self._enabled.update({k: bool(v) for k, v in values.items()})
        on = any(self._enabled.values())
        if on and self._bus is None and not self._connecting:
            self._connecting = True
            self._call(self._session, new_method_call(A11Y_BUS.with_interface("org.a11y.Bus"), "GetAddress"),
                       self._join_bus)
        elif not on:
            self._leave_bus()

    def _join_bus(self, reply) -> None:
        self._connecting = False
        if reply is None or not any(self._enabled.values()) or self._bus is not None:
            return
        try:
            self._bus = open_dbus_connection(reply.body[0])
        except Exception as error:
            log.info("accessibility bus not joined: %s", type(error).__name__)
            return
        self._selector.register(self._bus.sock, selectors.EVENT_READ, self._bus)
        self._tree, self._activated_window = None, False
        socket_of_registry = DBusAddress(APP_PATH, bus_name=REGISTRY, interface="org.a11y.atspi.Socket")
        me = (self._bus.unique_name, APP_PATH)
        self._call(self._bus, new_method_call(socket_of_registry, "Embed", "(so)", (me,)), self._embedded)
        self.activations += 1
        self._on_activated()

    def _embedded(self, reply) -> None:
        if reply is not None:
            self._desktop = tuple(reply.body[0])

    def _leave_bus(self, tell: bool = True) -> None:
        if self._bus is None:
            return
        bus, self._bus = self._bus, None
        self._replies = {k: v for k, v in self._replies.items() if k[0] != id(bus)}
        self._tree, self._desktop = None, ("", NULL_PATH)
        try:
            self._selector.unregister(bus.sock)
            bus.close()
        except (OSError, KeyError, ValueError):
            pass
        if tell:
            self._on_deactivated()

    # -- the tree and its events

    def _take(self, snapshot) -> None:
        old, new = self._tree, Tree(snapshot)
        self._tree = new
        if old is None:
            self._emit(APP_PATH, "ChildrenChanged", "add", 0, 0, ("(so)", self._ref(new.root_id)))
        else:
            self._changes(old, new)
        if not self._activated_window and new.root_id is not None:
            self._activated_window = True
            self._emit(self._path(new.root_id), "Activate", "", 0, 0, ("s", self.app_name), EVENT_WINDOW)
            if new.focus in new.items and new.focus != new.root_id:
                self._emit(self._path(new.focus), "StateChanged", "focused", 1, 0)

    def _changes(self, old: Tree, new: Tree) -> None:
        for nid, item in new.items.items():
            before = old.items.get(nid)
            if before is None:
                if item.live and item.name:  # a live region appearing is said at once
                    self._announce(item)
            else:
                self._item_changes(self._path(nid), before, item, old, new)
        if old.focus != new.focus:
            if old.focus in old.items and old.focus in new.items:
                self._emit(self._path(old.focus), "StateChanged", "focused", 0, 0)
            if new.focus in new.items:
                self._emit(self._path(new.focus), "StateChanged", "focused", 1, 0)

    def _item_changes(self, path: str, before, item, old: Tree, new: Tree) -> None:
        if before.name != item.name:
            self._emit(path, "PropertyChange", "accessible-name", 0, 0, ("s", item.name))
            if item.live and item.name:
                self._announce(item)
        if before.description != item.description:
            self._emit(path, "PropertyChange", "accessible-description", 0, 0, ("s", item.description))
        if item.role in ENTRIES and before.value != item.value:
            self._text_changed(path, before.value or "", item.value or "")
        was, now = states_of(before, old.focus), states_of(item, new.focus)
        for state in sorted((was ^ now) - {FOCUSED}):  # (focus is told once for the whole tree)
            if state in STATE_NAMES:
                self._emit(path, "StateChanged", STATE_NAMES[state], int(state in now), 0)
        if old.children.get(item.id) != new.children.get(item.id):
            self._children_changed(item.id, old.children.get(item.id, ()), new.children.get(item.id, ()))

    def _children_changed(self, nid: int, before: tuple, after: tuple) -> None:
        path = self._path(nid)
        kept = set(after)
        for index, kid in reversed(list(enumerate(before))):
            if kid not in kept:
                self._emit(path, "ChildrenChanged", "remove", index, 0, ("(so)", self._ref(kid)))
        had = set(before)
        for index, kid in enumerate(after):
            if kid not in had:
                self._emit(path, "ChildrenChanged", "add", index, 0, ("(so)", self._ref(kid)))

    def _text_changed(self, path: str, before: str, after: str) -> None:
        if after.startswith(before):
            self._emit(path, "TextChanged", "insert", len(before), len(after) - len(before), ("s", after[len(before):]))
        elif before.startswith(after):
            self._emit(path, "TextChanged", "delete", len(after), len(before) - len(after), ("s", before[len(after):]))
        else:
            self._emit(path, "TextChanged", "delete", 0, len(before), ("s", before))
            self._emit(path, "TextChanged", "insert", 0, len(after), ("s", after))
        self._emit(path, "TextCaretMoved", "", len(after), 0)

    def _announce(self, item) -> None:
        self._emit(self._path(item.id), "Announcement", "", POLITENESS[item.live], 0, ("s", item.name))

    def _emit(self, path: str, member: str, detail: str, detail1: int, detail2: int, data=NO_EVENT_DATA,
              interface: str = EVENT_OBJECT) -> None:
        if self._bus is None:
            return
        self._send(self._bus, new_signal(DBusAddress(path, interface=interface), member, "siiva{sv}",
                                         (detail, detail1, detail2, data, {})))

    # -- answering requests

    def _path(self, nid: int | None) -> str:
        if nid is None:
            return NULL_PATH
        return APP_PATH if nid == 0 else f"{PREFIX}{nid}"

    def _ref(self, nid: int | None) -> tuple[str, str]:
        return (self._bus.unique_name if self._bus else "", self._path(nid))

    def _answer(self, message):
        fields = message.header.fields
        path, interface, member = (fields.get(HeaderFields.path), fields.get(HeaderFields.interface),
                                   fields.get(HeaderFields.member))
        if path == CACHE_PATH and member == "GetItems":
            # libatspi asks for the whole tree up front; none is given, so it asks node by node and keeps no
            # copy that could go stale (the tree changes with every screen)
            return new_method_return(message, "a((so)(so)(so)iiassusau)", ([],))
        nid = node_of(path)
        item = self._tree.items.get(nid) if (self._tree is not None and nid) else None
        if nid is None or (nid and item is None):  # not ours, or gone from the screen since the reader asked
            if nid and member == "GetState":
                return new_method_return(message, "au", (state_words({DEFUNCT}),))
            return new_error(message, "org.freedesktop.DBus.Error.UnknownObject", "s", (f"{path} is not here",))
        if interface == PROPERTIES:
            return self._properties(message, nid, item, member, message.body)
        answer = self._answerer(interface or ACCESSIBLE, item).get(member)
        if answer is None:
            return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                             (f"{interface}.{member} is not supported",))
        signature, body = answer(nid, item, *message.body)
        return new_method_return(message, signature, body)

    def _answerer(self, interface: str, item) -> dict:
        """The methods an interface answers for this node: name -> f(node id, item, *args) -> (signature, body)."""
        if interface not in self._interfaces(item):
            return {}
        return {ACCESSIBLE: self._accessible_methods, APPLICATION: self._application_methods,
                COMPONENT: self._component_methods, ACTION: self._action_methods, TEXT: self._text_methods}[interface]

    def _interfaces(self, item) -> list[str]:
        """What this node implements: the application, or Component, Action when it has any, Text for a box."""
        if item is None:
            return [ACCESSIBLE, APPLICATION]
        names = [ACCESSIBLE, COMPONENT]
        if item.actions:
            names.append(ACTION)
        if item.role in TEXT_ROLES:
            names.append(TEXT)
        return names

    def _parent(self, nid: int) -> tuple[str, str]:
        if nid == 0:
            return self._desktop
        tree = self._tree
        return self._ref(tree.parent.get(nid, 0) if tree else 0)

    def _kids(self, nid: int) -> tuple[int, ...]:
        tree = self._tree
        if tree is None:
            return ()
        if nid == 0:
            return (tree.root_id,) if tree.root_id is not None else ()
        return tree.children.get(nid, ())

    def _property_values(self, nid: int, item, interface: str) -> dict:
        if interface == ACCESSIBLE:
            return {"Name": ("s", self.app_name if item is None else item.name),
                    "Description": ("s", "" if item is None else item.description),
                    "Parent": ("(so)", self._parent(nid)), "ChildCount": ("i", len(self._kids(nid))),
                    "Locale": ("s", locale()), "AccessibleId": ("s", str(nid))}
        if interface == APPLICATION and item is None:
            return {"ToolkitName": ("s", "Kivy"), "Version": ("s", self.toolkit_version), "AtspiVersion": ("s", "2.1"),
                    "Id": ("i", self._app_id)}
        if interface == ACTION and item is not None:
            return {"NActions": ("i", len(item.actions))}
        if interface == TEXT and item is not None and item.role in TEXT_ROLES:
            text = text_of(item)
            return {"CharacterCount": ("i", len(text)), "CaretOffset": ("i", len(text) if item.id == self._tree.focus
                                                                           else 0)}
        return {}

    def _properties(self, message, nid, item, member, args):
        if member == "Get":
            values = self._property_values(nid, item, args[0])
            if args[1] not in values:
                return new_error(message, "org.freedesktop.DBus.Error.UnknownProperty", "s", (args[1],))
            return new_method_return(message, "v", (values[args[1]],))
        if member == "GetAll":
            return new_method_return(message, "a{sv}", (self._property_values(nid, item, args[0]),))
        if member == "Set" and args[:2] == (APPLICATION, "Id") and item is None:
            self._app_id = int(args[2][1])  # the registry numbers the applications
            return new_method_return(message)
        return None

    # each method: (node id, item or None for the application, *the call's arguments) -> (signature, body)

    @cached_property
    def _accessible_methods(self) -> dict:
        return {
            "GetChildren": lambda nid, _item: ("a(so)", ([self._ref(k) for k in self._kids(nid)],)),
            "GetChildAtIndex": lambda nid, _item, index: ("(so)", (self._child_at(nid, index),)),
            "GetIndexInParent": lambda nid, _item: ("i", (self._index_in_parent(nid),)),
            "GetRole": lambda _nid, item: ("u", (self._role(item)[0],)),
            "GetRoleName": lambda _nid, item: ("s", (self._role(item)[1],)),
            "GetLocalizedRoleName": lambda _nid, item: ("s", (self._role(item)[1],)),
            "GetState": lambda _nid, item: ("au", (state_words(set() if item is None
                                                                else states_of(item, self._tree.focus)),)),
            "GetAttributes": lambda _nid, item: ("a{ss}", ({} if item is None else attributes_of(item),)),
            "GetRelationSet": lambda _nid, _item: ("a(ua(so))", ([],)),
            "GetApplication": lambda _nid, _item: ("(so)", (self._ref(0),)),
            "GetInterfaces": lambda _nid, item: ("as", (self._interfaces(item),)),
        }

    @cached_property
    def _application_methods(self) -> dict:
        return {
            "GetLocale": lambda _nid, _item, _category: ("s", (locale(),)),
            # no private connection: the bus is the way in
            "GetApplicationBusAddress": lambda _nid, _item: ("s", ("",)),
        }

    @cached_property
    def _component_methods(self) -> dict:
        return {
            "GetExtents": lambda _nid, item, coords: ("(iiii)", (self._extents(item, coords),)),
            "GetPosition": lambda _nid, item, coords: ("ii", self._extents(item, coords)[:2]),
            "GetSize": lambda _nid, item: ("ii", self._extents(item, 1)[2:]),
            "Contains": lambda _nid, item, x, y, coords: ("b", (self._inside(item, x, y, coords),)),
            "GetAccessibleAtPoint": lambda nid, _item, x, y, coords: ("(so)", (self._ref(self._at_point(nid, x, y,
                                                                                                    coords)),)),
            "GrabFocus": lambda nid, item: ("b", (self._request("FOCUS", nid, item),)),
            "GetLayer": lambda _nid, item: ("u", (7 if item.role == "WINDOW" else 3,)),  # window, widget
            "GetMDIZOrder": lambda _nid, _item: ("n", (0,)),
            "GetAlpha": lambda _nid, _item: ("d", (1.0,)),
            **dict.fromkeys(("ScrollTo", "ScrollToPoint", "SetExtents", "SetPosition", "SetSize"),
                            lambda _nid, _item, *_args: ("b", (False,))),
        }

    @cached_property
    def _action_methods(self) -> dict:
        def name(item, index: int) -> str:
            return ACTION_NAMES.get(item.actions[index], item.actions[index].lower()) \
                if 0 <= index < len(item.actions) else ""

        return {
            "GetActions": lambda _nid, item: ("a(sss)", ([(name(item, i), name(item, i), "")
                                                          for i in range(len(item.actions))],)),
            "GetName": lambda _nid, item, index: ("s", (name(item, index),)),
            "GetLocalizedName": lambda _nid, item, index: ("s", (name(item, index),)),
            "GetDescription": lambda _nid, item, index: ("s", (name(item, index),)),
            "GetKeyBinding": lambda _nid, _item, _index: ("s", ("",)),
            "DoAction": lambda nid, item, index: ("b", (0 <= index < len(item.actions)
                                                        and self._request(item.actions[index], nid, item),)),
        }

    @cached_property
    def _text_methods(self) -> dict:
        """A box's or label's text as one line: read whole, or a character at a time (boundary 0)."""
        def span(item, start: int, end: int) -> str:
            text = text_of(item)
            return text[start:] if end == -1 else text[start:end]

        def at(item, offset: int, unit: int) -> tuple[str, int, int]:
            text = text_of(item)
            if unit == 0:
                return text[offset:offset + 1], offset, min(offset + 1, len(text))
            return text, 0, len(text)

        def character(item, offset: int) -> int:
            text = text_of(item)
            return ord(text[offset]) if 0 <= offset < len(text) else 0

        def nothing(signature: str, body: tuple):
            return lambda _nid, _item, *_args: (signature, body)

        return {
            "GetText": lambda _nid, item, start, end: ("s", (span(item, start, end),)),
            "GetTextAtOffset": lambda _nid, item, offset, unit: ("sii", at(item, offset, unit)),
            "GetStringAtOffset": lambda _nid, item, offset, unit: ("sii", at(item, offset, unit)),
            "GetTextBeforeOffset": nothing("sii", ("", 0, 0)),
            "GetTextAfterOffset": nothing("sii", ("", 0, 0)),
            "GetCharacterAtOffset": lambda _nid, item, offset: ("i", (character(item, offset),)),
            "GetAttributes": lambda _nid, item, _offset: ("a{ss}ii", ({}, 0, len(text_of(item)))),
            "GetAttributeRun": lambda _nid, item, _offset, _all: ("a{ss}ii", ({}, 0, len(text_of(item)))),
            "GetDefaultAttributes": nothing("a{ss}", ({},)),
            "GetDefaultAttributeSet": nothing("a{ss}", ({},)),
            "GetAttributeValue": nothing("s", ("",)),
            "GetCharacterExtents": lambda _nid, item, _offset, coords: ("iiii", self._extents(item, coords)),
            "GetRangeExtents": lambda _nid, item, _start, _end, coords: ("iiii", self._extents(item, coords)),
            "GetOffsetAtPoint": nothing("i", (-1,)),
            "GetNSelections": nothing("i", (0,)),
            "GetSelection": nothing("ii", (0, 0)),
            "GetBoundedRanges": nothing("a(iisv)", ([],)),
            **dict.fromkeys(("SetCaretOffset", "AddSelection", "RemoveSelection", "SetSelection",
                             "ScrollSubstringTo", "ScrollSubstringToPoint"), nothing("b", (False,))),
        }

    def _role(self, item) -> tuple[int, str]:
        return ROLES["APPLICATION"] if item is None else role_of(item)

    def _child_at(self, nid: int, index: int) -> tuple[str, str]:
        kids = self._kids(nid)
        return self._ref(kids[index]) if 0 <= index < len(kids) else ("", NULL_PATH)

    def _index_in_parent(self, nid: int) -> int:
        if nid == 0:
            return -1
        siblings = self._kids(self._tree.parent.get(nid, 0))
        return siblings.index(nid) if nid in siblings else -1

    def _request(self, action: str, nid: int, item) -> bool:
        """A click or focus asked for: carried out on the UI thread, answered now (true if it can be done)."""
        if action not in item.actions or item.disabled:
            return False
        self._on_action(action, nid)
        return True

    def _extents(self, item, coord_type: int) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = item.bounds
        dx, dy = self._tree.screen_offset() if coord_type == 0 else (0, 0)  # 0 screen, 1 window, 2 parent
        if coord_type == 2 and self._tree.parent.get(item.id) in self._tree.items:
            px0, py0, _px1, _py1 = self._tree.items[self._tree.parent[item.id]].bounds
            dx, dy = -px0, -py0
        return int(x0 + dx), int(y0 + dy), int(x1 - x0), int(y1 - y0)

    def _inside(self, item, x: int, y: int, coord_type: int) -> bool:
        left, top, width, height = self._extents(item, coord_type)
        return left <= x < left + width and top <= y < top + height

    def _at_point(self, nid: int, x: int, y: int, coord_type: int) -> int | None:
        """The deepest shown node under the point, for explore by touch."""
        for kid in self._kids(nid):
            if self._inside(self._tree.items[kid], x, y, coord_type):
                return self._at_point(kid, x, y, coord_type) or kid
        return None


def node_of(path: str) -> int | None:
    """The node id an object path names (0: the application), or None if it names none of ours."""
    if path == APP_PATH:
        return 0
    tail = path[len(PREFIX):] if path.startswith(PREFIX) else ""
    return int(tail) if tail.isdigit() else None


def locale() -> str:
    return os.environ.get("LANG", "en").split(".")[0] or "en"
