"""A receipt a citizen can keep: one tell, every service's reference, as a PDF or a JSON file.

No Kivy here. ``tell_receipt`` reads what was agreed and what each service answered;
``write_receipt_pdf`` and ``write_receipt_json`` write it whole to the place the
citizen chose (a temporary file beside it, then renamed: never half a file).

The receipt carries only what the citizen needs to prove what was told: the
service, its reference, when, the details each received (long identifiers masked as
the screens mask them) and the words agreed to, with the language they were read in.

    receipt = tell_receipt(portal)
    write_receipt_pdf(receipt, Path("~/receipt.pdf").expanduser())
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from exchange.vocabulary import FIELDS, LABELS, N_
from portal.core import Portal
from portal.display import display_value, format_date
from portal.i18n import LANGUAGES, translator
from portal.store import DeliveryState
from portal.wording import RECEIPT_LINE, service_name, when_sentence

TITLE = N_("Tell Us Once: your receipt")
NO_REFERENCE = N_("No reference yet: this notification is still waiting to be sent.")
STATE_WORDS = {
    DeliveryState.DELIVERED: N_("Delivered"),
    DeliveryState.QUEUED: N_("Waiting to be sent"),
    DeliveryState.SENDING: N_("Waiting to be sent"),
    DeliveryState.NEEDS_ATTENTION: N_("Needs your attention"),
}


class NoReceipt(LookupError):
    """Nothing has been sent from this device yet."""


@dataclass(frozen=True)
class ReceiptLine:
    service: str
    service_name: str  # as the catalogue names it; shown through portal.wording.service_name
    state: DeliveryState
    reference: str | None
    received_at: str | None
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value as the screens show it)
    consent: str = ""


@dataclass(frozen=True)
class Receipt:
    tell_id: str
    event: str
    effective_date: str | None
    agreed_at: str
    language: str  # the language the consent statements were given in
    lines: list[ReceiptLine] = field(default_factory=list)

    @property
    def references(self) -> dict[str, str]:
        return {line.service: line.reference for line in self.lines if line.reference}


def tell_receipt(portal: Portal, tell_id: str | None = None) -> Receipt:
    """The receipt of one tell (the latest when ``tell_id`` is None); reads sealed bodies: a worker thread."""
    store = portal.store
    query = "select * from tells " + ("where id = ?" if tell_id else "order by created_at desc, rowid desc limit 1")
    tells = list(store.db.query(query, [tell_id] if tell_id else []))
    if not tells:
        raise NoReceipt(tell_id or "latest")
    tell = tells[0]
    catalogue = portal.cached_catalogue()
    language = tell["language"] or "en"
    received = {row["delivery_id"]: row["received_at"] for row in store.receipts()}
    lines = []
    for row in store.deliveries_of_tell(tell["id"]):
        service = catalogue.get(row.service)
        person = json.loads(store.open_body(row)).get("person", {})
        details = [(name, display_value(name, person[name])) for name in FIELDS if name in person]
        lines.append(ReceiptLine(
            service=row.service, service_name=service.name if service else row.service,
            state=row.state, reference=row.reference, received_at=received.get(row.id),
            details=details, consent=row.consent_statement or ""))
    return Receipt(tell["id"], tell["event"], tell["effective_date"], tell["created_at"], language, lines)


def suggested_name(receipt: Receipt, extension: str) -> str:
    return f"tell-us-once-receipt-{receipt.agreed_at[:10]}.{extension}"


def receipt_json(receipt: Receipt) -> dict:
    data = asdict(receipt)
    data["consent_language"] = data.pop("language")
    for line in data["lines"]:
        line["details"] = [{"field": name, "value": value} for name, value in line["details"]]
    return data


def write_atomically(path: Path, data: bytes) -> Path:
    """The whole file or nothing: written beside ``path``, then renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".receipt-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_receipt_json(receipt: Receipt, path: Path) -> Path:
    return write_atomically(path, json.dumps(receipt_json(receipt), indent=2, ensure_ascii=False).encode("utf-8"))


def font_file(name: str) -> str:
    """One of Kivy's own fonts (Roboto: the app's letters, Welsh ŵ and ŷ included), read as a file."""
    spec = importlib.util.find_spec("kivy")
    assert spec is not None and spec.submodule_search_locations
    return str(Path(spec.submodule_search_locations[0]) / "data" / "fonts" / name)


def receipt_pdf(receipt: Receipt, language: str | None = None) -> bytes:
    """The receipt as a printable A4 PDF, in ``language`` (the citizen's now; the consent stays as agreed)."""
    from fpdf import FPDF

    language = language or translator.language

    def _(text: str) -> str:
        return translator.gettext(text, language)

    pdf = FPDF(format="A4")
    pdf.set_title(_(TITLE))
    pdf.set_lang(language)
    pdf.set_creator("Tell Us Once")
    pdf.add_font("Roboto", "", font_file("Roboto-Regular.ttf"))
    pdf.add_font("Roboto", "B", font_file("Roboto-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def text(words: str, size: float = 11, bold: bool = False, gap: float = 2) -> None:
        pdf.set_font("Roboto", "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.5, words, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(gap)

    text(_(TITLE), 20, bold=True, gap=4)
    text(_(RECEIPT_LINE[receipt.event]).format(when=when_sentence(receipt.agreed_at, language)))
    if receipt.effective_date:
        text(_("From: {date}").format(date=format_date(receipt.effective_date, language)), gap=6)
    for line in receipt.lines:
        text(service_name(line.service_name, language), 14, bold=True)
        text(_("Reference: {reference}").format(reference=line.reference) if line.reference else _(NO_REFERENCE),
             12, bold=bool(line.reference))
        text(_(STATE_WORDS.get(line.state, line.state)))
        text(_("Details sent:"), bold=True, gap=1)
        for name, value in line.details:
            text(f"{_(LABELS.get(name, name))}: {value}", 10, gap=1)
        pdf.ln(1)
        text(_("You agreed ({language}):").format(language=LANGUAGES.get(receipt.language, receipt.language)),
             bold=True, gap=1)
        text(line.consent, 10, gap=6)
    text(_("Keep this receipt. Quote a service's reference if you contact them about this change."), 10)
    return bytes(pdf.output())


def write_receipt_pdf(receipt: Receipt, path: Path, language: str | None = None) -> Path:
    return write_atomically(path, receipt_pdf(receipt, language))
