"""Time: every timestamp the station records is aware, in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(VN_TZ)


class FixedClock:
    """A clock for tests and demos; ``advance`` moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=VN_TZ)
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs: float) -> None:
        from datetime import timedelta

        self._now += timedelta(**kwargs)


def to_vn(dt: datetime) -> datetime:
    """Aware datetime in Vietnam time (naive input is taken as Vietnam time already)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


def iso(dt: datetime) -> str:
    """Storage form: ISO 8601 with offset, seconds precision plus microseconds when present."""
    return to_vn(dt).isoformat()


def parse_iso(text: str) -> datetime:
    return to_vn(datetime.fromisoformat(text))
