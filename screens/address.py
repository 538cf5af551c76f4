"""What is your new address? Found by postcode (CONTRACT section 7) or entered by hand, checked by the
vocabulary, saved as a new version of the details; the old one is kept in the draft for Check (old -> new)."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty

from exchange.vocabulary import clean_person
from portal.addresses import AddressLookup, AddressLookupFailed, find_addresses
from portal.display import display_value
from ui.base import BaseScreen
from ui.i18n import _
from ui.screen_rules import ADDRESS_PARTS
from ui.widgets import plain_message


class AddressScreen(BaseScreen):
    manual = BooleanProperty(False)
    finding = BooleanProperty(False)

    def prepare(self, **_options) -> None:
        self.clear_errors()
        draft = self.app.draft
        if "new_address" not in draft:  # a new move: nothing left from an earlier one
            self.manual = False
            self.ids.postcode.text = ""
            self.ids.found_lead.text = ""
            self.ids.found.clear_widgets()
            for name, widget in self.fields().items():
                if name.startswith("address."):
                    widget.text = ""

    def update(self, _snapshot) -> None:
        """Redrawn in the citizen's language: the found addresses' lead."""
        lookup = getattr(self, "lookup", None)
        if lookup is not None:
            self.show_found(lookup, keep_choice=True)

    # -- finding by postcode

    def find(self) -> None:
        postcode = self.ids.postcode.text
        app = self.app
        self.clear_errors()
        self.finding = True
        app.work(lambda: find_addresses(app.portal.http, app.portal.api_url, postcode), self.show_found,
                 self.find_failed)

    def find_failed(self, error: BaseException) -> None:
        self.finding = False
        field = error.field if isinstance(error, AddressLookupFailed) else ""
        self.show_errors([(field, plain_message(error))])

    def show_found(self, lookup: AddressLookup, keep_choice: bool = False) -> None:
        self.finding = False
        self.lookup = lookup
        box = self.ids.found
        chosen = self.chosen_address() if keep_choice else self.app.draft.get("new_address")
        box.clear_widgets()
        count = len(lookup.addresses)
        if count == 0:
            self.ids.found_lead.text = _("We found no addresses for {postcode}. Check the postcode, or enter the "
                                         "address manually.").format(postcode=lookup.postcode)
        else:
            self.ids.found_lead.text = (_("1 address found for {postcode}. Select it to continue.") if count == 1
                                        else _("{count} addresses found for {postcode}. Select yours.")
                                        ).format(count=count, postcode=lookup.postcode)
        for address in lookup.addresses:
            choice = Factory.Choice(text=display_value("address", address), radio=True, group="new-address",
                                    value=display_value("address", address))
            choice.address = address
            if chosen and same_address(chosen, address):
                choice.state = "down"
            box.add_widget(choice)

    def chosen_address(self) -> dict | None:
        return next((c.address for c in self.ids.found.children if c.chosen), None)

    # -- continue: check, save, go on

    def continue_(self) -> None:
        app = self.app
        profile = app.snapshot.profile
        current = (profile.person if profile else {}).get("address")
        if self.manual:
            fields = self.fields()
            address = {part: fields[f"address.{part}"].text for part in ADDRESS_PARTS}
        else:
            address = self.chosen_address()
            if address is None:
                self.show_errors([("postcode", _("Select your new address, or enter it manually")
                                   if self.ids.found.children else _("Enter your new postcode and choose "
                                                                     "\u201cFind address\u201d"))])
                return
        if current and current.get("country") and not address.get("country"):
            address = {**address, "country": current["country"]}
        person = {**(profile.person if profile else {}), "address": address}
        person, errors = clean_person(person)
        errors = [(name, message) for name, message in errors if name.startswith("address")]
        if self.show_errors(errors):
            return
        new = person["address"]
        store = app.portal.store

        def save() -> dict | None:
            """The address before this move; a new version of the details unless it is saved already."""
            if "old_address" in app.draft:
                old = app.draft["old_address"]
            elif current and same_address(new, current):
                old = previous_address(store, current)  # saved in Your details already, maybe told to no one
            else:
                old = current
            if not (current and same_address(new, current)):
                store.save_profile(person)
            return old

        app.work(save, lambda old: self.address_saved(old, new))

    def address_saved(self, old: dict | None, new: dict) -> None:
        app = self.app
        app.draft.update(old_address=old, new_address=new, changes=[("address", old, new)])
        app.refresh(then=lambda: app.go("who_to_tell"))


def previous_address(store, current: dict) -> dict | None:
    """The address the details held before ``current`` (None if they never held another)."""
    for profile in reversed(store.profile_versions()):
        address = profile.person.get("address")
        if address and not same_address(address, current):
            return address
    return None


def same_address(one: dict, other: dict) -> bool:
    keys = ("line1", "line2", "town", "postcode")
    return all((one.get(k) or "").casefold() == (other.get(k) or "").casefold() for k in keys)


SCREEN = AddressScreen
