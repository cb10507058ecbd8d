"""What users send: request models that check themselves when built.

Each is keyword-only and frozen; a bad value is a ``TypeError``/``ValueError``
naming the field at construction, so it never reaches the wire. How a field is
written on the wire (dd/mm/yyyy, ``"0"``/``"1"``, a tax by name, a nested key)
is said once, in the field's ``metadata``, and applied by the wire converter's
generated hooks (``models/_convert.py``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs

from .._checks import amount, identifier, instance, optional_text, positive_int, text, validator
from .._checks import email as _email
from ._time import lisbon
from .documents import Address, GlobalDiscount
from .enums import TAX_EXEMPTION_CODES

_MAX_TEXT = 10_000

PAYMENT_MECHANISMS = ("CC", "CD", "CH", "CO", "CS", "DE", "LC", "MB", "NU", "OU", "PR", "TB",
                      "TR")


def _text(name: str, value: object) -> str:
    found = text(name, value)
    if len(found) > _MAX_TEXT:
        raise ValueError(f"{name} must be at most {_MAX_TEXT} characters")
    return found


def _maybe_text(name: str, value: object) -> str | None:
    found = optional_text(name, value)
    if found is not None and len(found) > _MAX_TEXT:
        raise ValueError(f"{name} must be at most {_MAX_TEXT} characters")
    return found


def _plain_text(name: str, value: object) -> str:
    """A str, possibly empty (the API requires the key, not content)."""
    instance(name, value, str)
    return _maybe_text(name, value) or ""


def _day(name: str, value: object) -> None:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")


def _money(name: str, value: object) -> None:
    amount(name, value)


def _positive_money(name: str, value: object) -> None:
    amount(name, value, positive=True)


def _percent(name: str, value: object) -> None:
    amount(name, value, maximum=Decimal(100))


def _retention(name: str, value: object) -> None:
    amount(name, value, maximum=Decimal("99.99"))


def _exemption(name: str, value: object) -> None:
    exemption_code(name, value)


def _discount(name: str, value: object) -> None:
    instance(name, value, GlobalDiscount)
    assert isinstance(value, GlobalDiscount)
    if value.value_type not in ("percentage", "absolute"):
        raise ValueError(f"{name}.value_type must be 'percentage' or 'absolute',"
                         f" got {value.value_type!r:.40}")
    amount(f"{name}.value", value.value,
           maximum=Decimal(100) if value.value_type == "percentage" else None)


def exemption_code(name: str, value: object) -> str:
    """A VAT exemption reason of the reference's list (M00 meaning none)."""
    found = _text(name, value)
    if found not in TAX_EXEMPTION_CODES:
        raise ValueError(f"{name} must be a VAT exemption code ({', '.join(TAX_EXEMPTION_CODES)}),"
                         f" got {value!r:.20}")
    return found


def _mechanism(name: str, value: object) -> None:
    if _text(name, value) not in PAYMENT_MECHANISMS:
        raise ValueError(f"{name} must be one of {', '.join(PAYMENT_MECHANISMS)},"
                         f" got {value!r}")


def _flag(name: str, value: object) -> None:
    instance(name, value, bool)


def _field(check: Any, *, default: Any = attrs.NOTHING, **wire: Any) -> Any:
    """A checked field; ``None`` is allowed when the default is None. ``wire`` options go
    to the converter: ``key`` (a path of keys), ``encode`` ("tax_name", "string")."""
    return attrs.field(default=default, metadata={"wire": wire},
                       validator=validator(check, optional=default is None))


def _nested(kind: type, *, default: Any = attrs.NOTHING) -> Any:
    def check(name: str, value: object) -> None:
        instance(name, value, kind)
    return _field(check, default=default)


def _lines(name: str, value: object) -> None:
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list of ItemLine, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must hold at least one ItemLine")
    for index, line in enumerate(value):
        instance(f"{name}[{index}]", line, ItemLine)


@attrs.frozen(kw_only=True, slots=True)
class DocumentClient:
    """The client of a new document: an existing one by ``id`` or ``code`` alone (the API
    looks it up by id, then code, then name), or a new one by ``name`` and ``code``."""

    id: int | None = _field(identifier, default=None)
    """An existing client, by id (alone is enough)."""
    name: str | None = _field(_text, default=None)
    """The client's name; an unknown name creates the client."""
    code: str | None = _field(_text, default=None)
    """The account's own code for the client (alone is enough for a known client)."""
    email: str | None = _field(_email, default=None)
    """The client's email."""
    address: str | None = _field(_maybe_text, default=None)
    """Street address printed on the document."""
    city: str | None = _field(_maybe_text, default=None)
    """City."""
    postal_code: str | None = _field(_maybe_text, default=None)
    """Postal code (``DDDD-DDD`` in Portugal)."""
    country: str | None = _field(_maybe_text, default=None)
    """The country's English name (``Portugal``)."""
    fiscal_id: str | None = _field(_maybe_text, default=None)
    """The client's tax number (NIF)."""
    website: str | None = _field(_maybe_text, default=None)
    """Website."""
    phone: str | None = _field(_maybe_text, default=None)
    """Phone."""
    fax: str | None = _field(_maybe_text, default=None)
    """Fax."""
    observations: str | None = _field(_maybe_text, default=None)
    """Text copied into the client's documents."""

    def __attrs_post_init__(self) -> None:
        if self.id is None and self.code is None:
            raise ValueError("client needs an id or a code (and a name, for a new client)")


@attrs.frozen(kw_only=True, slots=True)
class ItemLine:
    """A line of a new document. ``tax`` is the tax's *name* (``"IVA23"``): the API
    silently applies the account's default tax to a name it does not know."""

    name: str = _field(_text)
    """The catalogue item's name: an unknown one creates the item, a known one is
    overwritten with this line's values."""
    description: str = _field(_plain_text)
    """The line's text (required by the API; may be empty)."""
    unit_price: Decimal = _field(_money)
    """The price per unit before taxes, sent as an exact number."""
    quantity: Decimal = _field(_positive_money)
    """How many units (more than 0)."""
    unit: str | None = _field(_maybe_text, default=None)
    """``service``, ``hour``, ``day``, ``month``, ``unit`` or ``other``."""
    discount: Decimal | None = _field(_percent, default=None)
    """A discount on the line, in percent (0-100)."""
    tax: str | None = _field(_text, default=None, encode="tax_name")
    """The tax by *name* (``IVA23``); a name the account does not know silently becomes its
    default tax."""
    # an exempt line (a 0% tax) needs its own reason on the live API, even when the
    # document carries one: "M07", "M16"...
    tax_exemption: str | None = _field(_exemption, default=None)
    """Why a 0% line is exempt: an ``M`` code from ``ix.TAX_EXEMPTION_CODES`` (the API
    refuses an exempt line without one)."""


def _check_due_date(instance_: DocumentCreate, _: Any, value: datetime.date) -> None:
    _day("due_date", value)
    if value < instance_.date:
        raise ValueError(f"due_date must not be before date ({instance_.date}), got {value}")


@attrs.frozen(kw_only=True, slots=True)
class DocumentCreate:
    """A new invoice-family document (created as a draft), or the new content of a draft.

    ``owner_invoice_id`` ties a credit or debit note to its invoice; ``global_discount``
    takes a :class:`GlobalDiscount` (``value_type`` ``"percentage"`` or ``"absolute"``);
    ``auto_add_related_document`` is for estimates only.
    """

    date: datetime.date = _field(_day)
    """The document's day (sent as dd/mm/yyyy)."""
    due_date: datetime.date = attrs.field(validator=_check_due_date)
    """When payment is due; not before ``date``."""
    client: DocumentClient = _nested(DocumentClient)
    """Who the document is for: an existing client by id or code, or a new one by name."""
    items: list[ItemLine] = _field(_lines)
    """The lines (at least one)."""
    reference: str | None = _field(_maybe_text, default=None)
    """Your own reference (a purchase order); ``reconcile=True`` finds a lost create by it."""
    observations: str | None = _field(_maybe_text, default=None)
    """Free text printed on the document."""
    retention: Decimal | None = _field(_retention, default=None)
    """Withholding tax, in percent."""
    tax_exemption: str | None = _field(_exemption, default=None)
    """The document's VAT exemption code (``M00``: none)."""
    tax_exemption_reason: str | None = _field(_maybe_text, default=None)
    """An exemption code for the whole document when any line is exempt."""
    sequence_id: int | None = _field(identifier, default=None)
    """The series to number it in (the account's default series otherwise)."""
    manual_sequence_number: str | None = _field(_maybe_text, default=None)
    """A number given by hand (documents recovered from paper)."""
    owner_invoice_id: int | None = _field(identifier, default=None)
    """For a credit or debit note: the invoice it corrects."""
    mb_reference: bool | None = _field(_flag, default=None)
    """Ask for a Multibanco payment reference (invoices)."""
    currency_code: str | None = _field(_maybe_text, default=None)
    """An ISO currency code for a document in a foreign currency (with ``rate``)."""
    rate: Decimal | None = _field(_positive_money, default=None)
    """The exchange rate of ``currency_code``."""
    global_discount: GlobalDiscount | None = _field(_discount, default=None)
    """A discount over the whole document (percentage or amount)."""
    plugin_id: str | None = _field(_maybe_text, default=None)
    """The plugin the document is issued through, when the account uses one."""
    # estimates only: add the estimate to the document it turns into
    auto_add_related_document: bool | None = _field(_flag, default=None)
    """Estimates only: add the document created from this one as related."""


@attrs.frozen(kw_only=True, slots=True)
class Payment:
    """A payment of an invoice: the API issues a Receipt for it."""

    amount: Decimal = _field(_positive_money)
    """How much was paid (more than 0; the whole total settles the invoice)."""
    payment_mechanism: str | None = _field(_mechanism, default=None)
    """How: ``TB`` bank transfer, ``MB`` Multibanco, ``NU`` cash, ``CC`` credit card,
    ``CD`` debit card, ``CH`` cheque, ``OU`` other... (the SAF-T codes)."""
    payment_date: datetime.date | None = _field(_day, default=None)
    """The day of payment."""
    note: str | None = _field(_maybe_text, default=None)
    """Text printed on the receipt."""
    serie: str | None = _field(_maybe_text, default=None)
    """The series the receipt is numbered in."""


@attrs.frozen(kw_only=True, slots=True)
class EmailMessage:
    """An email of a document to ``email``; ``save`` stores that address on the client."""

    email: str = _field(_email, key=("client", "email"))
    """Where to send it (sent as ``client.email``)."""
    subject: str | None = _field(_maybe_text, default=None)
    """The email's subject (the account's template otherwise)."""
    body: str | None = _field(_maybe_text, default=None)
    """The email's text (the account's template otherwise)."""
    cc: str | None = _field(_email, default=None)
    """A copy to this address."""
    bcc: str | None = _field(_email, default=None)
    """A blind copy to this address."""
    save: bool = _field(_flag, default=False, key=("client", "save"))
    """Keep ``email`` as the client's address (``client.save``)."""
    logo: bool = _field(_flag, default=False)
    """Put the account's logo in the email."""


def _datetime(name: str, value: object) -> None:
    instance(name, value, datetime.datetime)
    assert isinstance(value, datetime.datetime)
    try:
        lisbon(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _choice(*allowed: str) -> Any:
    def check(name: str, value: object) -> None:
        if _text(name, value) not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r:.40}")
    return check


def _address(name: str, value: object) -> None:
    instance(name, value, Address)


@attrs.frozen(kw_only=True, slots=True)
class GuideCreate(DocumentCreate):
    """A new shipping, transport or devolution guide: a document plus when and where the
    goods are loaded (``loaded_at`` goes on the wire as ``dd/mm/yyyy HH:MM:SS``)."""

    loaded_at: datetime.datetime = _field(_datetime)
    """When the goods are loaded (sent as ``dd/mm/yyyy HH:MM:SS``, Lisbon time)."""
    address_from: Address = _field(_address)
    """Where the goods leave from."""
    address_to: Address = _field(_address)
    """Where they go."""
    license_plate: str | None = _field(_maybe_text, default=None)
    """The vehicle's plate."""
    load_site: str | None = _field(_maybe_text, default=None)
    """A name for the loading place."""
    delivery_site: str | None = _field(_maybe_text, default=None)
    """A name for the delivery place."""


@attrs.frozen(kw_only=True, slots=True)
class CatalogItemCreate:
    """A new catalogue item (or an item's new content); ``tax`` is a tax's name."""

    name: str = _field(_text)
    """The item's name (documents refer to it by name)."""
    description: str = _field(_plain_text)
    """The text its lines print (required; may be empty)."""
    unit_price: Decimal = _field(_money)
    """The price per unit before taxes."""
    unit: str | None = _field(_maybe_text, default=None)
    """``service``, ``hour``, ``day``, ``month``, ``unit`` or ``other``."""
    tax: str | None = _field(_text, default=None, encode="tax_name")
    """The tax by name (``IVA23``)."""


@attrs.frozen(kw_only=True, slots=True)
class TaxCreate:
    """A new tax (or a tax's new content). ``region`` (PT, PT-AC, PT-MA, Desconhecido or a
    country code) is needed for SAF-T; ``code`` is NOR, INT, RED, OUT or ISE."""

    name: str = _field(_text)
    """The tax's name, which lines refer to it by."""
    value: Decimal = _field(_percent, encode="decimal_text")
    """The rate in percent (sent as text, ``"23.0"``)."""
    region: str | None = _field(_maybe_text, default=None)
    """``PT``, ``PT-AC``, ``PT-MA`` or an ISO country code (needed for SAF-T)."""
    code: str | None = _field(_choice("NOR", "INT", "RED", "OUT", "ISE"), default=None)
    """``NOR``, ``INT``, ``RED``, ``OUT`` or ``ISE``."""
    default: bool = _field(_flag, default=False, key=("default_tax",), encode="int_flag")
    """Make it the account's default tax (``default_tax``)."""


@attrs.frozen(kw_only=True, slots=True)
class SequenceCreate:
    """A new series; ``default`` makes it the account's default one."""

    serie: str = _field(_text)
    """The series' name, printed in every number."""
    default: bool = _field(_flag, default=False, key=("default_sequence",))
    """Make it the series documents use by default (``default_sequence``)."""


@attrs.frozen(kw_only=True, slots=True, repr=False)
class ATCredentials:
    """The Tax Authority (AT) sub-user that registers series; the password is sent
    Base64-encoded, as the API wants, and never shown in a repr."""

    username: str = _field(_text)
    """The Tax Authority sub-user's name."""
    password: str = _field(_text, encode="base64")
    """Its password (sent base64-encoded)."""
    type: str = _field(_text, default="AT")
    """``AT`` (the Tax Authority)."""
    context: str = _field(_text, default="Sequences")
    """What the credentials are for (``Sequences``: registering series)."""

    def __repr__(self) -> str:
        return f"ATCredentials(username={self.username!r}, password=***)"


def _credentials(name: str, value: object) -> None:
    instance(name, value, ATCredentials)


def _tax_country(name: str, value: object) -> None:
    if positive_int(name, value) not in (1, 2, 3):
        raise ValueError(f"{name} must be 1 (Portugal), 2 (Ireland) or 3 (UK), got {value!r}")


@attrs.frozen(kw_only=True, slots=True, repr=False)
class AccountCreate:
    """A new account (partner flow), or an account's new details. ``terms`` must be True:
    the owner accepts InvoiceXpress's terms. The password never shows in a repr."""

    organization_name: str = _field(_text)
    """The company's name."""
    email: str = _field(_email)
    """The owner's email (the login)."""
    password: str = _field(_text)
    """The owner's password."""
    terms: bool = _field(_flag)
    """Accept the terms of service (must be true)."""
    first_name: str | None = _field(_maybe_text, default=None)
    """The owner's first name."""
    last_name: str | None = _field(_maybe_text, default=None)
    """The owner's last name."""
    phone: str | None = _field(_maybe_text, default=None)
    """Phone."""
    fiscal_id: str | None = _field(_maybe_text, default=None)
    """The company's tax number (NIF)."""
    tax_country: int | None = _field(_tax_country, default=None, encode="string")
    """1 Portugal, 2 Ireland, 3 United Kingdom."""
    language: str | None = _field(_choice("pt", "en", "es"), default=None)
    """``pt``, ``en`` or ``es``."""
    marketing: bool | None = _field(_flag, default=None)
    """Accept marketing emails."""
    address: str | None = _field(_maybe_text, default=None)
    """Street address."""
    city: str | None = _field(_maybe_text, default=None)
    """City."""
    postal_code: str | None = _field(_maybe_text, default=None)
    """Postal code."""
    website: str | None = _field(_maybe_text, default=None)
    """Website."""
    fax: str | None = _field(_maybe_text, default=None)
    """Fax."""
    at_credentials: ATCredentials | None = _field(_credentials, default=None,
                                                  key=("credentials",))
    """Tax Authority credentials to register series with."""

    def __attrs_post_init__(self) -> None:
        if self.terms is not True:
            raise ValueError("terms must be True: the account owner accepts the terms")

    def __repr__(self) -> str:
        return (f"AccountCreate(organization_name={self.organization_name!r},"
                f" email={self.email!r}, password=***)")


@attrs.frozen(kw_only=True, slots=True)
class TreasuryMovement:
    """A payment received from, or a reimbursement made to, a client (ISO date)."""

    value: Decimal = _field(_positive_money)
    """The amount (more than 0)."""
    movement_type: str = _field(_choice("Payment", "Reimbursement"))
    """``Payment`` or ``Reimbursement``."""
    date: datetime.date = _field(_day, encode="iso")
    """Its day (sent as an ISO date, unlike documents)."""
    payment_method: str | None = _field(_choice(*PAYMENT_MECHANISMS, "CI"), default=None)
    """A payment mechanism code (``TB``, ``MB``, ``NU``..., or ``CI``)."""
    serie: str | None = _field(_maybe_text, default=None)
    """The series to number it in."""
    observation: str | None = _field(_maybe_text, default=None)
    """Free text recorded with it."""


REQUEST_MODELS: tuple[type, ...] = (DocumentClient, ItemLine, DocumentCreate, Payment,
                                    EmailMessage, GuideCreate, Address, CatalogItemCreate,
                                    TaxCreate, SequenceCreate, ATCredentials, AccountCreate,
                                    TreasuryMovement)
