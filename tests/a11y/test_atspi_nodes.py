"""How the bridge's nodes become AT-SPI roles, states and attributes (ui.atspi), without a bus; the
tests beside this one read the same through pyatspi from the running app."""

from __future__ import annotations

from ui.accessibility import Item
from ui.atspi import (
    CHECKABLE,
    CHECKED,
    ENABLED,
    FOCUSED,
    INVALID_ENTRY,
    PRESSED,
    REQUIRED,
    SENSITIVE,
    attributes_of,
    role_of,
    state_words,
    states_of,
)


def test_a_heading_carries_its_level_as_orca_reads_it():
    assert role_of(Item(id=9, role="HEADING", name="Sign in", level=2)) == (83, "heading")
    assert attributes_of(Item(id=9, role="HEADING", name="Sign in", level=2))["level"] == "2"
    assert "level" not in attributes_of(Item(id=9, role="LABEL", name="Text"))


def test_a_required_field_with_an_error_is_required_and_invalid():
    field = Item(id=9, role="TEXT_INPUT", name="Username", invalid=True, required=True, actions=("FOCUS",))
    states = states_of(field, focus=9)
    assert {INVALID_ENTRY, REQUIRED, FOCUSED, ENABLED, SENSITIVE} <= states
    assert INVALID_ENTRY not in states_of(field._replace(invalid=False), focus=1)


def test_the_password_box_is_password_text():
    assert role_of(Item(id=9, role="PASSWORD_INPUT", name="Password")) == (40, "password text")


def test_toggles_and_disabled_controls():
    assert {CHECKABLE, CHECKED} <= states_of(Item(id=9, role="CHECK_BOX", toggled=True), focus=1)
    assert CHECKED not in states_of(Item(id=9, role="CHECK_BOX", toggled=False), focus=1)
    assert role_of(Item(id=9, role="BUTTON", toggled=True))[1] == "toggle button"
    assert PRESSED in states_of(Item(id=9, role="BUTTON", toggled=True), focus=1)
    assert not {ENABLED, SENSITIVE} & states_of(Item(id=9, role="BUTTON", disabled=True), focus=1)


def test_live_regions_say_how_politely():
    assert attributes_of(Item(id=9, role="STATUS", name="Done", live="POLITE"))["container-live"] == "polite"
    assert attributes_of(Item(id=9, role="ALERT", name="There is a problem", live="ASSERTIVE"))["live"] == "assertive"


def test_states_are_two_32_bit_words():
    assert state_words({FOCUSED, INVALID_ENTRY}) == [1 << FOCUSED, 1 << (INVALID_ENTRY - 32)]
