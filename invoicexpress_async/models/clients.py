"""Clients: the model the API returns and the one users send to create a client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .._checks import email, optional_text, text, validator
from ._extra import extra_field
from .enums import TAX_EXEMPTION_CODES

_LANGUAGES = ("en", "pt", "es")


@attrs.frozen(kw_only=True, slots=True)
class PreferredContact:
    """Who to talk to at a client (sent with a client, and in its answers)."""

    name: str | None = None
    """The contact person's name."""
    email: str | None = None
    """Their email."""
    phone: str | None = None
    """Their phone."""
    mobile: str | None = None
    """Their mobile phone."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True)
class Client:
    """A client as the API returns it (every field arrives as a string; ids become ints)."""

    id: int | None = None  # the seed's list entries come without it
    """The client's id (a string on the wire; absent from some list entries)."""
    name: str
    """The client's name, as printed on documents."""
    code: str | None = None  # absent from the vendor description's client answers
    """Your own code for the client, unique in the account (documents and
    ``find_by_code`` name a client by it)."""
    email: str | None = None
    """Where documents are emailed by default."""
    language: str | None = None
    """The documents' language: ``pt``, ``en`` or ``es``."""
    address: str | None = None
    """Street address."""
    city: str | None = None
    """City."""
    postal_code: str | None = None
    """Postal code (``DDDD-DDD`` in Portugal)."""
    country: str | None = None
    """Country, as the English name from the API's list (``Portugal``)."""
    fiscal_id: str | None = None
    """The tax number (NIF); documents embed the client without it in some answers."""
    website: str | None = None
    """Web site."""
    phone: str | None = None
    """Phone number."""
    fax: str | None = None
    """Fax number."""
    preferred_contact: PreferredContact | None = None
    """The person to contact: name, email, phone (and mobile, on live answers)."""
    observations: str | None = None
    """Text copied into every new document of this client."""
    send_options: int | None = None
    """Copies sent by email: 1 original, 2 with duplicate, 3 with triplicate (a string on
    the wire)."""
    payment_days: int | None = None
    """The client's payment terms, in days."""
    tax_exemption_code: str | None = None
    """The client's default VAT exemption (``M00``: none)."""
    open_account_link: str | None = None
    """The client's statement page (open documents) on InvoiceXpress."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as sent."""


_required_text = validator(text)
_optional_text = validator(optional_text, optional=True)


_email = validator(email, optional=True)


def _language(inst: object, attr: attrs.Attribute[str | None], value: str | None) -> None:
    optional_text(attr.name, value)
    if value is not None and value not in _LANGUAGES:
        raise ValueError(f"{attr.name} must be one of {', '.join(_LANGUAGES)}, got {value!r}")


def _send_options(inst: object, attr: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attr.name} must be an int (1, 2 or 3), got {type(value).__name__}")
    if value not in (1, 2, 3):
        raise ValueError(f"{attr.name} must be 1, 2 or 3, got {value!r}")


def _payment_days(inst: object, attr: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attr.name} must be an int (days), got {type(value).__name__}")
    if not 0 <= value <= 365:
        raise ValueError(f"{attr.name} must be between 0 and 365 days, got {value!r}")


def _exemption_code(inst: object, attr: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and value not in TAX_EXEMPTION_CODES:
        optional_text(attr.name, value)
        raise ValueError(f"{attr.name} must be a VAT exemption code"
                         f" ({', '.join(TAX_EXEMPTION_CODES)}), got {value!r:.20}")


def _contact(inst: object, attr: attrs.Attribute[PreferredContact | None], value: object) -> None:
    if value is not None and not isinstance(value, PreferredContact):
        raise TypeError(f"{attr.name} must be a PreferredContact, got {type(value).__name__}")
    if isinstance(value, PreferredContact):
        if value.email is not None:
            email(f"{attr.name}.email", value.email)
        for part in ("name", "phone", "mobile"):
            optional_text(f"{attr.name}.{part}", getattr(value, part))


@attrs.frozen(kw_only=True, slots=True)
class ClientCreate:
    """What ``clients.create`` sends. Checked when built, so bad input never leaves."""

    name: str = attrs.field(validator=_required_text)
    """The client's name (required); a document that names an unknown client creates one."""
    code: str = attrs.field(validator=_required_text)
    """The account's own code for the client (required by the API, unique per account)."""
    email: str | None = attrs.field(default=None, validator=_email)
    """Where documents are emailed by default."""
    language: str | None = attrs.field(default=None, validator=_language)
    """The language of its documents and emails: ``pt``, ``en`` or ``es``."""
    address: str | None = attrs.field(default=None, validator=_optional_text)
    """Street address."""
    city: str | None = attrs.field(default=None, validator=_optional_text)
    """City."""
    postal_code: str | None = attrs.field(default=None, validator=_optional_text)
    """Postal code (``DDDD-DDD`` in Portugal)."""
    country: str | None = attrs.field(default=None, validator=_optional_text)
    """The country's English name from the API's list (``Portugal``)."""
    fiscal_id: str | None = attrs.field(default=None, validator=_optional_text)
    """The client's tax number (NIF)."""
    website: str | None = attrs.field(default=None, validator=_optional_text)
    """The client's website."""
    phone: str | None = attrs.field(default=None, validator=_optional_text)
    """Phone."""
    fax: str | None = attrs.field(default=None, validator=_optional_text)
    """Fax."""
    preferred_contact: PreferredContact | None = attrs.field(default=None, validator=_contact)
    """A contact person (name, email, phone, mobile)."""
    observations: str | None = attrs.field(default=None, validator=_optional_text)
    """Text copied into every document for this client."""
    send_options: int | None = attrs.field(default=None, validator=_send_options,
                                           metadata={"wire": {"encode": "string"}})
    """Copies sent by email: 1 original, 2 with a duplicate, 3 with a triplicate."""
    payment_days: int | None = attrs.field(default=None, validator=_payment_days)
    """Days until payment is due on its documents."""
    tax_exemption_code: str | None = attrs.field(default=None, validator=_exemption_code)
    """The VAT exemption its documents use (an ``M`` code, ``ix.TAX_EXEMPTION_CODES``)."""
