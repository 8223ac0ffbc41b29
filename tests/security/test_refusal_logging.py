"""§6: a refused import (any DomainError) in the window is logged as one WARNING line, not as an
ERROR with a traceback; an unexpected failure keeps its ERROR with the traceback."""

from __future__ import annotations

import logging

from cashier.core.errors import FileRefused
from cashier.ui.tasks import TaskRunner


def test_refusal_is_one_warning_line_and_a_bug_stays_an_error(qtbot, qapp, caplog):
    runner = TaskRunner()

    def refused():
        raise FileRefused("file_refused", detail="not a spreadsheet")

    def bug():
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.DEBUG, logger="cashier.ui.tasks"):
        h1 = runner.run(refused, None, lambda e: None, name="import")
        h2 = runner.run(bug, None, lambda e: None, name="bug")
        qtbot.waitUntil(lambda: h1.done and h2.done, timeout=5000)
    by_task = {r.getMessage().split()[1]: r for r in caplog.records if r.name == "cashier.ui.tasks"}
    refusal = by_task["import"]
    assert refusal.levelno == logging.WARNING and "\n" not in refusal.getMessage()
    assert "not a spreadsheet" in refusal.getMessage() and "Traceback" not in refusal.getMessage()
    assert by_task["bug"].levelno == logging.ERROR and "ZeroDivisionError" in by_task["bug"].getMessage()
