"""Local calendar days (Asia/Ho_Chi_Minh by default) of epoch timestamps, fast."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Every UTC offset change ever made falls on a quarter hour, so the offset is constant
# within each quarter-hour slot and can be cached per slot.
_SLOT_SECONDS = 900
_MAX_CACHED_SLOTS = 100_000


class LocalDays:
    def __init__(self, timezone_name=DEFAULT_TIMEZONE):
        try:
            self.zone = ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown time zone {timezone_name!r} in STATS_TIMEZONE; "
                "use an IANA name such as Asia/Ho_Chi_Minh"
            ) from error
        self._offsets = {}

    def day_number(self, epoch):
        """Days since 1970-01-01 of the local date of ``epoch``."""
        slot = epoch // _SLOT_SECONDS
        offset = self._offsets.get(slot)
        if offset is None:
            if len(self._offsets) >= _MAX_CACHED_SLOTS:
                self._offsets.clear()
            moment = datetime.fromtimestamp(slot * _SLOT_SECONDS, timezone.utc)
            offset = int(moment.astimezone(self.zone).utcoffset().total_seconds())
            self._offsets[slot] = offset
        return (epoch + offset) // 86400

    def local(self, moment):
        return moment.astimezone(self.zone)

    def parse_moment(self, text):
        """An ISO-8601 time for --now; a time without an offset is local time."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(
                f"--now {text!r} is not an ISO-8601 time; "
                "write for example 2026-11-28T20:15:00+07:00"
            ) from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment

    def day_start(self, day_number):
        """Epoch seconds of local 00:00 of a day number."""
        midnight = datetime.combine(
            date.fromordinal(day_number + _EPOCH_ORDINAL), time(0), tzinfo=self.zone
        )
        return int(midnight.timestamp())

    def day_of(self, moment):
        """Day number of an aware datetime's local date."""
        return self.local(moment).date().toordinal() - _EPOCH_ORDINAL


def day_iso(day_number):
    return date.fromordinal(day_number + _EPOCH_ORDINAL).isoformat()


def day_from_iso(text):
    return date.fromisoformat(text).toordinal() - _EPOCH_ORDINAL


def monday_of(day_number):
    # 1970-01-01 was a Thursday: weekday 3 with Monday = 0.
    return day_number - (day_number + 3) % 7
