"""A receipt is queued once, on the printer's own thread: the GUI's task runner does not run a
lane that waits for the print queue (issue 12)."""

from __future__ import annotations

import threading

from test_counter_flow import customers, receipts_printed, scan


def test_a_receipt_is_submitted_to_the_printer_once(session, qtbot, monkeypatch):
    w = session.window
    jobs = session.backend.station.printing.jobs
    submitted: list[tuple[str, str]] = []
    real_submit = jobs.submit

    def counting(device, name, run, **kw):
        submitted.append((name, threading.current_thread().name))
        return real_submit(device, name, run, **kw)

    monkeypatch.setattr(jobs, "submit", counting)
    ran: list[str] = []
    real_run = session.runner.run
    monkeypatch.setattr(session.runner, "run", lambda fn, *a, **k: (ran.append(k.get("name", "")), real_run(fn, *a, **k))[1])
    before = len(receipts_printed(session))
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)  # collected; the receipt prints
    payment = w.controller.last_payment
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=15_000)
    receipts = [s for s in submitted if s[0] != "status"]
    assert len(receipts) == 1 and receipts[0][1] == threading.main_thread().name  # queued once, from the GUI
    assert not [name for name in ran if name.startswith("print")]  # no task-runner lane waits for it
    assert "printer" not in session.runner._lanes
    assert len(receipts_printed(session)) == before + 1
    assert session.backend.payment(payment.receipt_no).printed is True
