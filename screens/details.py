"""Your details: every field of the person, errors beside each field, prefill accepted field by field."""

from __future__ import annotations

from kivy.factory import Factory

from exchange.vocabulary import clean_person
from portal.display import display_value
from portal.prefill import GovernmentDetails, accept_prefill, fetch_government_details, prefill_differences
from ui.base import BaseScreen
from ui.i18n import _, date
from ui.screen_rules import ADDRESS_PARTS, TEXT_FIELDS, changes_to_tell, form_person
from ui.widgets import plain_message


class DetailsScreen(BaseScreen):
    held: GovernmentDetails | None = None

    def prepare(self, focus: str = "", **_options) -> None:
        self.clear_errors()
        self.ids.saved.opacity = 0
        self.ids.saved.text = ""
        self.ids.offer.clear_widgets()
        self.load(self.app.snapshot.profile)
        if focus:
            self.choose(focus)

    def load(self, profile) -> None:
        person = profile.person if profile else {}
        fields = self.fields()
        for name in TEXT_FIELDS:
            fields[name].text = str(person.get(name, ""))
        address = person.get("address") or {}
        for part in ADDRESS_PARTS:
            fields[f"address.{part}"].text = str(address.get(part, ""))
        fields["date_of_birth"].set_iso(person.get("date_of_birth"))
        self.ids.version.text = (_("Version {version}, saved {date}. Saving makes a new version; earlier ones are "
                                   "kept.").format(version=profile.version, date=date(profile.saved_at))
                                 if profile else _("You have not saved your details yet."))

    def save(self) -> None:
        fields = self.fields()
        values = {name: widget.text for name, widget in fields.items() if hasattr(widget, "text")}
        profile = self.app.snapshot.profile
        country = ((profile.person.get("address") or {}).get("country") if profile else None)
        person, errors = clean_person(form_person(values, fields["date_of_birth"].iso(), country))
        if self.show_errors(errors):
            return
        app = self.app
        before = profile.person if profile else None
        app.work(lambda: app.portal.store.save_profile(person), lambda version: self.saved(version, before))

    def saved(self, version: int, before: dict | None = None) -> None:
        self.app.flow_completed("details")
        self.ids.saved.text = _("Your details are saved as version {version}.").format(version=version)
        self.ids.saved.opacity = 1

        def reload() -> None:
            profile = self.app.snapshot.profile
            self.load(profile)
            if profile is not None:
                self.offer_to_tell(changes_to_tell(before, profile.person))

        self.app.refresh(then=reload)
        self.ids.page.scroll_to_top()

    def offer_to_tell(self, changes: list) -> None:
        """A changed address, name or contact detail: offer to tell the services, one button per kind."""
        box = self.ids.offer
        box.clear_widgets()
        for event, changed in changes:
            text = {"change_of_address": _("Tell services about your new address"),
                    "change_of_name": _("Tell services about your new name"),
                    "change_of_contact": _("Tell services about your new contact details")}[event]
            button = Factory.SecondaryButton(text=text)
            button.bind(on_release=lambda _b, e=event, c=changed: self.tell_about(e, c))
            box.add_widget(button)
        if changes:
            box.add_widget(Factory.Hint(text=_("Nothing is sent until you choose the services and agree.")),
                           index=len(box.children))
            box.add_widget(Factory.SubHeading(text=_("Tell us about a change")), index=len(box.children))

    def tell_about(self, event: str, changed: list) -> None:
        app = self.app
        app.draft = {"event": event, "changes": changed, "address_saved": True}
        app.go("change", event=event)

    # -- what government already holds

    def fetch(self) -> None:
        self.ids.prefill.clear_widgets()
        self.ids.prefill.add_widget(Factory.Hint(text=_("Asking government…")))
        app = self.app

        def job():
            held = fetch_government_details(app.portal)
            profile = app.portal.store.current_profile()
            return held, prefill_differences(profile.person if profile else None, held)

        app.work(job, self.show_differences, self.fetch_failed)

    def fetch_failed(self, error: BaseException) -> None:
        self.ids.prefill.clear_widgets()
        self.show_errors([("", plain_message(error))])

    def show_differences(self, result) -> None:
        held, differences = result
        self.held = held
        box = self.ids.prefill
        box.clear_widgets()
        if not differences:
            box.add_widget(Factory.Body(text=_("Your details already match what government holds.")))
            return
        box.add_widget(Factory.Body(text=_("Government holds these details differently. Tick the ones you want "
                                           "to use, then choose \u201cUse the ticked details\u201d.")))
        for difference in differences:
            now = display_value(difference.field, difference.current) or _("not given")
            offered = display_value(difference.field, difference.offered)
            mark = " " + _("(verified by government)") if difference.verified else ""
            choice = Factory.Choice(text=f"{_(difference.label)}: {offered}{mark}",
                                    hint=_("You have: {value}").format(value=now),
                                    value=difference.field, state="down")
            box.add_widget(choice)
        button = Factory.SecondaryButton(text=_("Use the ticked details"))
        button.bind(on_release=lambda _b: self.accept())
        box.add_widget(button)

    def accept(self) -> None:
        accepted = [w.value for w in self.ids.prefill.children if hasattr(w, "value") and w.chosen]
        held, app = self.held, self.app
        if held is None:
            return
        before = app.snapshot.profile.person if app.snapshot.profile else None
        app.work(lambda: accept_prefill(app.portal.store, held, accepted),
                 lambda version: self.accepted(version, before))

    def accepted(self, version: int | None, before: dict | None = None) -> None:
        self.ids.prefill.clear_widgets()
        if version is not None:
            self.saved(version, before)


SCREEN = DetailsScreen
