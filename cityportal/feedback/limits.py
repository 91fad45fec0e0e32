"""Limits per client address that do not lock out a carrier's shared address.

Mobile carriers put thousands of people behind one address (carrier-grade NAT),
so a small count per address locks them all out, while a count large enough for
them lets one script flood the service. Instead, the proof of work costs more as
the address's recent volume grows:

    volume     = submissions in the last hour + MINUTE_WEIGHT × those in the last minute
    difficulty = base × 2 ** (volume / doubling), at most `ceiling`

A browser solves the challenge while its person types, so the hundredth
honest submission of the hour still costs only seconds. A script that sends as
fast as it can pays twice as much for every `doubling` more, so its rate is
held to a few a minute whatever its speed (docs/feedback.md gives the figures of
`invoke bench-feedback-limits`). Behind this sit plain counts as backstops: per
hour and per minute for every address, and a much tighter hourly count for the
no-JS text question, which costs a script nothing to answer.

Pure apart from the clock passed in; the counts come from the store.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from .captcha import POW, QUESTION, Ticket

MINUTE_WEIGHT = 10
# A challenge fetched when the address was quieter stays good while the volume
# grows by up to this many doublings, so that a person who types for a few
# minutes is not sent back; a stock of easy challenges fetched in advance is not.
DRIFT_DOUBLINGS = 3

TOO_MANY = ("Địa chỉ mạng của bạn đã gửi rất nhiều ý kiến trong thời gian ngắn. "
            "Ý kiến chưa được ghi nhận; vui lòng thử lại sau ít phút.")
TOO_MANY_QUESTIONS = ("Đã có nhiều ý kiến gửi bằng câu hỏi kiểm tra từ địa chỉ mạng của bạn trong giờ qua. "
                      "Ý kiến chưa được ghi nhận; vui lòng bật JavaScript trong trình duyệt "
                      "hoặc thử lại sau.")
TOO_EASY = ("Mã kiểm tra đã cũ so với lưu lượng hiện tại. Hệ thống đang tạo mã mới; "
            "vui lòng bấm “Gửi ý kiến” lần nữa.")
TOO_MANY_LOOKUPS = "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút."


class LimitReached(Exception):
    """A count was reached; str() is the Vietnamese message, retry_after in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ChallengeTooEasy(Exception):
    """The solved proof of work is far easier than the address's volume now asks."""


@dataclass(frozen=True)
class Recent:
    """One address's accepted submissions: in the last hour, the last minute,
    and those of the last hour that passed the text question."""

    hour: int = 0
    minute: int = 0
    questions: int = 0

    @property
    def volume(self) -> int:
        return self.hour + MINUTE_WEIGHT * self.minute


@dataclass(frozen=True)
class Limits:
    pow_base: int
    pow_doubling: int
    pow_ceiling: int
    per_hour: int
    per_minute: int
    questions_per_hour: int

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        return cls(settings.pow_max_number, settings.pow_doubling, settings.pow_ceiling,
                   settings.rate_limit_per_hour, settings.rate_limit_per_minute,
                   settings.question_limit_per_hour)

    def difficulty(self, volume: float) -> int:
        exponent = min(volume / self.pow_doubling, 60.0)
        return max(1, min(self.pow_ceiling, int(self.pow_base * 2 ** exponent)))

    def check(self, recent: Recent, ticket: Ticket) -> None:
        """Raise LimitReached or ChallengeTooEasy if this submission may not be stored."""
        if recent.minute >= self.per_minute:
            raise LimitReached(TOO_MANY, 60)
        if recent.hour >= self.per_hour:
            raise LimitReached(TOO_MANY, 600)
        if ticket.kind == QUESTION and recent.questions >= self.questions_per_hour:
            raise LimitReached(TOO_MANY_QUESTIONS, 600)
        if ticket.kind == POW:
            allowed = self.difficulty(max(0, recent.volume - DRIFT_DOUBLINGS * self.pow_doubling))
            if ticket.difficulty < allowed:
                raise ChallengeTooEasy(TOO_EASY)


class LookupCounter:
    """Status lookups per address and minute, in memory: a lookup never writes
    to the database, so it never waits for a writer."""

    MAX_CLIENTS = 100_000

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str, *, now: float) -> None:
        minute = int(now // 60)
        with self._lock:
            if len(self._counts) >= self.MAX_CLIENTS:
                self._counts = {key: value for key, value in self._counts.items() if value[0] == minute}
            start, count = self._counts.get(client, (minute, 0))
            if start != minute:
                start, count = minute, 0
            if count >= self.per_minute:
                raise LimitReached(TOO_MANY_LOOKUPS, 60 - int(now) % 60)
            self._counts[client] = (start, count + 1)
