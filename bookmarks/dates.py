"""Dates that people hand us (an import file, an API client): one beyond now is clamped."""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

# A clock a little ahead is not the future; a date beyond this is clamped to now.
FUTURE_SKEW = timedelta(minutes=10)


def clamp_future(value: datetime | None, now: datetime) -> tuple[datetime | None, str]:
    """(value, "") for a date up to now + FUTURE_SKEW (or None); else (now, the note that
    says so). A date in year 9999 would pin an item on top of a shared library and its feed,
    since lists and feeds are newest first."""
    if value is None or value <= now + FUTURE_SKEW:
        return value, ""
    note = _("a date in the future (%(date)s) set to today") % {"date": value.date().isoformat()}
    return now, note
