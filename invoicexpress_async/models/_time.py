"""The API's clock: Portugal's wall-clock time, with no zone on the wire."""

from __future__ import annotations

import datetime
import zoneinfo


def lisbon(value: datetime.datetime) -> datetime.datetime:
    """``value`` as Portugal's wall-clock time, which the API's zone-less datetimes are.

    A naive datetime is taken to be that already; an aware one is converted (10:00+09:00
    is 02:00 in Lisbon in winter), never stripped of its zone. Without the zone database
    an aware value is refused (ValueError), rather than sent hours wrong.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    try:
        zone = zoneinfo.ZoneInfo("Europe/Lisbon")
    except zoneinfo.ZoneInfoNotFoundError:
        raise ValueError("an aware datetime needs the Europe/Lisbon zone data to be sent"
                         " (install tzdata), or pass Lisbon's local time without a zone") from None
    return value.astimezone(zone).replace(tzinfo=None)
