"""The import dialog (issue 14 #5, issue 11 §4): Enter starts the import of the chosen file as
its button says (never the file chooser); an import that would turn many bills "paid elsewhere"
asks first, in Vietnamese, with the counts per unit, and Enter then confirms; the Vietnamese
summary says how many bills became "paid elsewhere"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from cashier.core.demo_data import DEMO_FIELDS, generate_rows
from cashier.export.extract_writer import write_table
from cashier.ui.dialogs import imports
from cashier.ui.dialogs.imports import ImportDialog


def _extract(tmp_path, customers=300, seed=5):
    out = tmp_path / "extract.csv"
    write_table(out, list(DEMO_FIELDS), generate_rows(customers, seed))
    return out


def _dialog(session, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(imports, "file_dialog", lambda *a, **k: opened.append(a) or _NoFile())
    admin = session.backend.login("admin", "admin123")
    dlg = ImportDialog(session.backend, session.runner, admin, session.window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg, opened


class _NoFile:
    def setFileMode(self, *_a):
        pass

    def setNameFilter(self, *_a):
        pass

    def exec(self):
        return 0

    def selectedFiles(self):
        return []


def test_enter_starts_the_import_not_the_file_chooser(session, qtbot, monkeypatch, tmp_path):
    dlg, opened = _dialog(session, qtbot, monkeypatch)
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a spreadsheet" * 10)
    dlg.path.setText(str(bad))
    browse = next(b for b in dlg.findChildren(QPushButton) if b.text() == "Chọn tệp…")
    browse.setFocus()  # where the focus is after the file chooser closes
    qtbot.keyClick(browse, Qt.Key.Key_Return)
    assert opened == []
    assert dlg.handle is not None
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=20000)
    assert "Tệp bị từ chối" in dlg.error.text()
    dlg.path.setFocus()
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)  # Enter in the path field imports too
    assert opened == [] and dlg.handle is not None
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=20000)


def test_many_paid_elsewhere_asks_then_enter_confirms(session, qtbot, monkeypatch, tmp_path):
    dlg, _opened = _dialog(session, qtbot, monkeypatch)
    code = session.backend.search("nguyen", 5)[0].code
    before = session.backend.lookup(code).total_due
    dlg.path.setText(str(_extract(tmp_path)))  # lists none of the demo database's bills
    qtbot.keyClick(dlg.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    text = dlg.summary_label.text()
    assert dlg.summary is None and "Chưa nhập gì" in text and "đã thu nơi khác" in text, text
    assert "PC12AA:" in text and "trên" in text
    assert dlg.start_button.text() == "Xác nhận và nhập (Enter)"
    assert session.backend.lookup(code).total_due == before  # nothing imported yet
    qtbot.keyClick(dlg.start_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.handle.done and dlg.summary is not None, timeout=60000)
    s = dlg.summary
    assert s.paid_elsewhere == dlg.summary.paid_elsewhere > 0
    shown = dlg.summary_label.text()
    assert f'{s.paid_elsewhere:,}'.replace(",", ".") + ' hóa đơn chưa thu không còn trong tệp đã chuyển sang "đã thu nơi khác"' in shown
    assert session.backend.lookup(code).total_due == 0
    assert dlg.start_button.text() == "Nhập (Enter)"


def test_a_progress_report_that_lets_the_import_finish_inside_it(session, qtbot, monkeypatch):
    """A modal QProgressDialog runs the event loop inside setValue: the import's done callback can
    close the progress dialog right there; the rest of that progress report must not touch it
    (CI saw 'NoneType' object has no attribute 'setLabelText')."""
    from PySide6.QtWidgets import QProgressDialog

    dlg, _opened = _dialog(session, qtbot, monkeypatch)
    progress = QProgressDialog("…", "Dừng", 0, 0, dlg)
    dlg.progress = progress
    progress.canceled.connect(dlg._cancel)
    monkeypatch.setattr(progress, "setValue", lambda _v: dlg._close_progress())
    dlg._progress(1, 2, "prepare")  # must not raise
    assert dlg.progress is None and dlg.start_button.isEnabled()
