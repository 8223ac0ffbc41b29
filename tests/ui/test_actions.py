"""The actions table (ui/actions.py) and the window built from it: keys, buttons, permissions,
the shift rule; the dashboard (F10) needs view_reports like every other F10 screen."""

from __future__ import annotations

from test_counter_flow import close_next_modal

from cashier.core.ledger import Permission
from cashier.ui import actions
from cashier.ui.main_window import MainWindow


def test_the_table_names_real_slots_and_unique_keys():
    keys = [a.key for a in actions.ACTIONS if a.key]
    assert len(keys) == len(set(keys))
    for row in actions.ACTIONS:
        assert callable(getattr(MainWindow, row.slot)), row.slot
    assert {a.key for a in actions.ACTIONS} >= {"F1", "F12", "Shift+F2", "Shift+F8", "Ctrl+L", "Esc"}
    # every F10 screen needs its permission
    assert all(a.permission is not None and a.what for a in actions.menu("F10"))
    assert actions.BY_SLOT["dashboard"].permission is Permission.VIEW_REPORTS


def test_the_window_has_the_tables_buttons_and_shortcuts(counter):
    w = counter.window
    assert list(w.fkeys) == [a.key for a in actions.buttons()]
    shortcuts = {a.shortcut().toString() for a in w.actions()}
    assert {a.key for a in actions.shortcuts()} <= shortcuts
    assert "Ctrl+L" in shortcuts  # lock_screen's own


def test_a_cashier_may_not_open_the_dashboard(session, qtbot, monkeypatch):
    from cashier.ui import dashboard

    w = session.window
    assert not w.user.can(Permission.VIEW_REPORTS)
    opened: list = []  # (no modal helper left polling when nothing opens)
    monkeypatch.setattr(dashboard.DashboardDialog, "exec", lambda dlg: opened.append(dlg) or 0)
    w.dashboard()
    assert opened == []
    assert "không có quyền xem bảng điều khiển" in w.last_message[1]


def test_a_manager_opens_the_dashboard(counter, qtbot):
    w = counter.window
    manager = counter.backend.login("quanly", "quanly123")
    w.set_session(manager, None)
    opened: list = []
    close_next_modal(qtbot, lambda modal: (opened.append(type(modal).__name__), modal.reject()))
    w.dashboard()
    assert opened == ["DashboardDialog"]


def test_a_slot_that_needs_a_shift_refuses_without_one(counter, qtbot):
    w = counter.window
    w.set_session(counter.backend.login("thungan", "123456"), None)
    for slot in ("reprint", "void", "select_bills", "transfer", "partial_payment", "split_payment", "basket"):
        assert actions.BY_SLOT[slot].needs_shift
        w.view.banner.show_state("busy", "")
        assert getattr(w, slot)() is None
        assert "Chưa mở ca" in w.view.banner.text(), slot
