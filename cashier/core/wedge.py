"""Keyboard-wedge scanner detection: tell a scan from typing by the timing of the keys.

A USB HID ("keyboard-wedge") scanner types the code like a very fast keyboard: every character
within a few milliseconds of the previous one (scanners send <= 50 ms per character), usually
followed by Enter or Tab, sometimes preceded by a configured prefix. A person types at 80 ms+
between keys. This module is the pure state machine (stdlib only, times passed in, no Qt), so it
can be tested without events; :mod:`cashier.ui.scan_detector` drives it from Qt key events.

The caller feeds every key press with an opaque ``token`` (the Qt layer passes a copy of the event).
Characters are *held* while they could still be the start of a scan; the outcome of each call says
which held tokens must be given back to the application as ordinary typing (``replay``, in order),
whether the current key is swallowed, and the scanned code when a scan completed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class KeyKind(Enum):
    CHAR = "char"  # a key that produced printable text
    TERMINATOR = "terminator"  # Enter / Return / Tab (the scanner's suffix)
    MODIFIER = "modifier"  # Shift, Ctrl, Alt...: ignored, never breaks a scan
    OTHER = "other"  # any other key (F-keys, arrows, Escape...)


@dataclass(frozen=True)
class WedgeConfig:
    """How this station's scanner types. Times are in seconds."""

    #: the longest gap between two keys of one scan (scanners send <= 0.05 s per character)
    max_gap: float = 0.100
    #: the shortest code that counts as a scan (customer codes are 13 characters; a fast typist's
    #: amount or PIN followed by Enter must not be taken for one)
    min_length: int = 10
    #: the longest; anything longer is typing or garbage
    max_length: int = 64
    #: a scan must end with Enter/Tab; when False, a fast burst ended by a pause also counts
    require_suffix: bool = True
    #: characters the scanner sends before the code (configured on the scanner), '' for none
    prefix: str = ""

    def __post_init__(self) -> None:
        if not 0.005 <= self.max_gap <= 1.0:
            raise ValueError(f"max_gap {self.max_gap!r} s is outside 5 ms .. 1 s")
        if self.min_length < 1 or self.max_length < self.min_length:
            raise ValueError("min_length must be >= 1 and <= max_length")


@dataclass
class Outcome:
    #: the current key is held or consumed: do not deliver it now
    swallow: bool = False
    #: held tokens to deliver as ordinary typing, in order, *before* the current key
    replay: list[Any] = field(default_factory=list)
    #: the code, when a scan just completed (prefix and suffix removed)
    scan: str | None = None


class WedgeDetector:
    """The timing state machine. Not thread-safe; one per application."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._held: list[tuple[Any, str]] = []
        self._last: float | None = None
        #: statistics for the status bar / diagnostics
        self.scans = 0
        self.replayed_bursts = 0

    # -- state -----------------------------------------------------------------------------
    @property
    def pending(self) -> bool:
        """True while characters are held (a scan may be under way)."""
        return bool(self._held)

    @property
    def held_count(self) -> int:
        return len(self._held)

    @property
    def held_text(self) -> str:
        return "".join(ch for _, ch in self._held)

    def deadline(self) -> float | None:
        """When :meth:`timeout` should be called if no further key arrives."""
        if not self._held or self._last is None:
            return None
        return self._last + self.config.max_gap

    def _release(self) -> list[Any]:
        tokens = [tok for tok, _ in self._held]
        if tokens:
            self.replayed_bursts += 1
        self._held.clear()
        self._last = None
        return tokens

    def _code(self) -> str | None:
        """The held text as a code, or None when it does not qualify as a scan."""
        text = self.held_text
        if self.config.prefix:
            if not text.startswith(self.config.prefix):
                return None
            text = text[len(self.config.prefix) :]
        if len(text) < self.config.min_length:
            return None
        return text

    def _complete(self) -> str:
        code = self._code()
        assert code is not None
        self._held.clear()
        self._last = None
        self.scans += 1
        return code

    def _could_start(self, ch: str) -> bool:
        prefix = self.config.prefix
        return not prefix or prefix.startswith(ch)

    def _still_possible(self, ch: str) -> bool:
        """Could held text + ``ch`` still become a scan (prefix, length)?"""
        text = self.held_text + ch
        prefix = self.config.prefix
        if prefix and not (text.startswith(prefix) or prefix.startswith(text)):
            return False
        return len(text) <= self.config.max_length + len(prefix)

    # -- input -----------------------------------------------------------------------------
    def feed(self, kind: KeyKind, text: str, t: float, token: Any = None) -> Outcome:
        """One key press at time ``t`` (seconds, monotonic)."""
        out = Outcome()
        if kind is KeyKind.MODIFIER:
            return out
        # a pause longer than a scanner's: what is held was typed by a person
        if self._held and self._last is not None and t > self._last + self.config.max_gap:
            if not self.config.require_suffix and self._code() is not None:
                out.scan = self._complete()
            else:
                out.replay.extend(self._release())
        if kind is KeyKind.CHAR:
            if not text:
                return out
            if (self._held and self._still_possible(text)) or (
                not self._held and self._could_start(text)
            ):
                self._held.append((token, text))
                self._last = t
                out.swallow = True
            else:
                out.replay.extend(self._release())
            return out
        if kind is KeyKind.TERMINATOR:
            if self._held:
                if self._code() is not None:
                    out.scan = self._complete()
                    out.swallow = True
                else:
                    out.replay.extend(self._release())
            return out
        # OTHER keys: a person is at the keyboard
        out.replay.extend(self._release())
        return out

    def timeout(self, t: float) -> Outcome:
        """No key since the last one; call at or after :meth:`deadline`."""
        out = Outcome()
        # compared with the very sum deadline() returns: ``t - last < max_gap`` can be true at
        # t == deadline() by float rounding (X event times of ~10^4 s), keeping the keys held
        if not self._held or self._last is None or t < self._last + self.config.max_gap:
            return out
        if not self.config.require_suffix and self._code() is not None:
            out.scan = self._complete()
        else:
            out.replay.extend(self._release())
        return out

    def reset(self) -> list[Any]:
        """Forget the held keys; returns them (for replay) so nothing typed is lost."""
        return self._release()
