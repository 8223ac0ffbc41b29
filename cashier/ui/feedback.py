"""A short sound and a colour flash: one for a good scan, a different one for an error.

QSoundEffect (QtMultimedia) plays the small WAVs in resources/sounds when the multimedia backend
loads; on machines without it (no PulseAudio/PipeWire client library, for instance) the error falls
back to ``QApplication.beep()`` and the good scan stays silent, so the flash is always there.
"""

from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

GOOD, ERROR = "good", "error"

#: (frequencies in Hz, seconds each) of the two sounds
TONES = {GOOD: ([1760], 0.08), ERROR: ([440, 330], 0.15)}


def write_tone(path: Path, freqs: list[int], seconds: float, rate: int = 16000) -> None:
    """A plain 16-bit mono WAV: the notes one after another, with short fades (no clicks)."""
    frames = bytearray()
    n = int(rate * seconds)
    fade = max(1, int(rate * 0.005))
    for freq in freqs:
        for i in range(n):
            env = min(1.0, i / fade, (n - 1 - i) / fade)
            sample = int(0.4 * 32767 * env * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", sample)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def ensure_sounds(directory: Path) -> dict[str, Path]:
    paths = {}
    for name, (freqs, secs) in TONES.items():
        path = directory / f"{name}.wav"
        if not path.exists():
            try:
                write_tone(path, freqs, secs)
            except OSError:
                log.warning("cannot write %s", path)
        paths[name] = path
    return paths


class Feedback(QObject):
    """``good()`` / ``error()``: sound + flash of the given widget's background."""

    def __init__(self, sounds_dir: Path, parent: QObject | None = None, *, sound: bool = True) -> None:
        super().__init__(parent)
        self.sound_enabled = sound
        self.last: str | None = None
        self.count = {GOOD: 0, ERROR: 0}
        self._effects: dict[str, object] = {}
        self._flash_target: QWidget | None = None
        self._saved_palette: tuple[QPalette, bool] | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._unflash)
        if sound:
            self._load_effects(ensure_sounds(sounds_dir))

    def _load_effects(self, paths: dict[str, Path]) -> None:
        try:
            from PySide6.QtMultimedia import QSoundEffect  # noqa: PLC0415 (optional backend)
        except ImportError as exc:
            log.info("no QtMultimedia (%s): beep fallback", exc)
            return
        for name, path in paths.items():
            if path.exists():
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.6)
                self._effects[name] = effect

    @property
    def has_sound(self) -> bool:
        return bool(self._effects)

    def set_flash_target(self, widget: QWidget) -> None:
        self._flash_target = widget

    def good(self) -> None:
        self._signal(GOOD, "#c8e6c9")

    def error(self) -> None:
        self._signal(ERROR, "#ffcdd2")

    def _signal(self, kind: str, colour: str) -> None:
        self.last = kind
        self.count[kind] += 1
        if self.sound_enabled:
            effect = self._effects.get(kind)
            if effect is not None:
                effect.play()  # type: ignore[attr-defined]
            elif kind == ERROR:
                QApplication.beep()
        target = self._flash_target
        if target is not None:
            try:
                if self._saved_palette is None:
                    self._saved_palette = (QPalette(target.palette()), target.autoFillBackground())
                pal = QPalette(target.palette())
                pal.setColor(QPalette.ColorRole.Window, QColor(colour))
                target.setPalette(pal)
                target.setAutoFillBackground(True)
                target.setProperty("flash", kind)
            except RuntimeError:  # the window is gone
                self._flash_target = None
                return
            self._flash_timer.start(350)

    def _unflash(self) -> None:
        target, saved = self._flash_target, self._saved_palette
        self._saved_palette = None
        if target is not None and saved is not None:
            try:
                target.setPalette(saved[0])
                target.setAutoFillBackground(saved[1])
                target.setProperty("flash", "")
            except RuntimeError:
                self._flash_target = None
