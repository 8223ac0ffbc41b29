"""The pure keyboard-wedge state machine (cashier.core.wedge): timing tells a scan from typing."""

from __future__ import annotations

import pytest

from cashier.core.wedge import KeyKind, WedgeConfig, WedgeDetector

C, T = KeyKind.CHAR, KeyKind.TERMINATOR


def feed_text(det: WedgeDetector, text: str, start: float, gap: float, suffix: bool = True):
    t = start
    outs = []
    for i, ch in enumerate(text):
        outs.append(det.feed(C, ch, t, token=i))
        t += gap
    if suffix:
        outs.append(det.feed(T, "\r", t, token="enter"))
    return outs, t


def test_fast_burst_with_enter_is_a_scan_and_every_key_is_swallowed():
    det = WedgeDetector()
    outs, _ = feed_text(det, "PC12AA0012345", 0.0, 0.003)
    assert all(o.swallow for o in outs)
    assert all(not o.replay for o in outs)
    assert outs[-1].scan == "PC12AA0012345"
    assert not det.pending and det.scans == 1


def test_slow_typing_is_given_back_in_order():
    det = WedgeDetector()
    outs, t = feed_text(det, "PC12", 0.0, 0.120, suffix=False)
    replayed = [tok for o in outs for tok in o.replay]
    # each key is held, then released by the next (late) key
    assert replayed == [0, 1, 2]
    final = det.timeout(t + 0.2)
    assert final.replay == [3]
    assert final.scan is None and det.scans == 0


def test_short_fast_burst_with_enter_is_typing():
    det = WedgeDetector(WedgeConfig(min_length=6))
    outs, _ = feed_text(det, "12", 0.0, 0.01)
    assert outs[-1].scan is None
    assert outs[-1].replay == [0, 1]
    assert outs[-1].swallow is False  # the Enter itself goes to the widget


def test_timeout_before_deadline_does_nothing():
    det = WedgeDetector()
    det.feed(C, "P", 1.0, "p")
    assert det.deadline() == pytest.approx(1.1)
    assert det.timeout(1.05).replay == []
    assert det.timeout(1.11).replay == ["p"]


def test_no_suffix_mode_ends_scan_on_pause():
    det = WedgeDetector(WedgeConfig(require_suffix=False, min_length=4))
    _, t = feed_text(det, "PC12AA0012345", 0.0, 0.004, suffix=False)
    out = det.timeout(t + 0.2)
    assert out.scan == "PC12AA0012345"


def test_prefix_lets_typing_through_immediately_and_is_stripped():
    det = WedgeDetector(WedgeConfig(prefix="#"))
    first = det.feed(C, "a", 0.0, "a")
    assert first.swallow is False and not det.pending
    outs, _ = feed_text(det, "#PC12AA0012345", 1.0, 0.003)
    assert outs[-1].scan == "PC12AA0012345"


def test_other_key_releases_held_keys():
    det = WedgeDetector()
    det.feed(C, "x", 0.0, "x")
    out = det.feed(KeyKind.OTHER, "", 0.01, "f3")
    assert out.replay == ["x"] and not out.swallow


def test_modifiers_do_not_break_a_scan():
    det = WedgeDetector(WedgeConfig(min_length=6))
    det.feed(C, "P", 0.0, 0)
    assert det.feed(KeyKind.MODIFIER, "", 0.001, "shift").replay == []
    det.feed(C, "C", 0.002, 1)
    det.feed(C, "1", 0.004, 2)
    det.feed(C, "2", 0.006, 3)
    det.feed(C, "A", 0.008, 4)
    det.feed(C, "A", 0.010, 5)
    assert det.feed(T, "", 0.012, "enter").scan == "PC12AA"


def test_overlong_burst_is_typing():
    det = WedgeDetector(WedgeConfig(max_length=8, min_length=4))
    outs, _ = feed_text(det, "X" * 12, 0.0, 0.002, suffix=False)
    released = [tok for o in outs for tok in o.replay]
    assert released[:8] == list(range(8))
    assert outs[8].swallow is False  # the 9th key goes straight to the widget, after them


def test_config_rejects_nonsense():
    with pytest.raises(ValueError):
        WedgeConfig(max_gap=5)
    with pytest.raises(ValueError):
        WedgeConfig(min_length=0)


@pytest.mark.parametrize("gap", [0.1, 0.08, 0.05])
def test_a_timeout_at_the_deadline_gives_the_keys_back_whatever_the_clock(gap):
    """Keys timed by the X server (ms since boot, ~10^4-10^6 s) then a timeout exactly at
    deadline(): the typed keys are given back, never kept held by float rounding (seen on X11:
    a path typed into the import dialog stayed held until the next key)."""
    w = WedgeDetector(WedgeConfig(max_gap=gap))
    for ms in range(14_000_000, 14_002_000, 7):
        w.feed(KeyKind.CHAR, "a", ms / 1000.0, "token")
        assert w.timeout(w.deadline()).replay == ["token"], ms
        assert not w.pending
