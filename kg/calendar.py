"""Month and weekday names, shared by the date parsers of ingest and extract.

>>> MONTHS["nov"], MONTHS["november"], WEEKDAYS["wednesday"]
(11, 11, 2)
"""

from __future__ import annotations

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
MONTHS.update({name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)})
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}

__all__ = ["MONTHS", "WEEKDAYS"]
