"""One counter process of the several-counters tests and benchmark: opens its own connection
to the server as station ``station``, logs its cashier in, opens a shift, waits for the others
(a barrier), then collects every customer of ``order`` (all their bills, exact money + change).

Returns (outcomes, seconds from the barrier to the last commit); an outcome per customer: ("ok", receipt, commit seconds) or ("refused", error code, the English
message) — never a driver error (anything else is returned as ("error", type, text) so the test
names it instead of hanging)."""

from __future__ import annotations

import time
from typing import Any

from pg_helpers import PASSWORD, customer_code, open_counter

from cashier.core.errors import DomainError


def run_counter(url: str, station: str, username: str, order: list[int], barrier: Any,
                tendered: int = 500_000) -> tuple[list[tuple], float]:
    counter = open_counter(url, station)
    try:
        user = counter.users.login(username, PASSWORD)
        counter.shifts.open_shift(user, 0)
        barrier.wait(timeout=120)
        start = time.perf_counter()
        out: list[tuple] = []
        for i in order:
            t0 = time.perf_counter()
            try:
                p = counter.collect.collect(user, customer_code(i), tendered)
            except DomainError as exc:
                out.append(("refused", i, exc.code, str(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
                out.append(("error", i, type(exc).__name__, str(exc)))
            else:
                out.append(("ok", i, p.receipt_no, time.perf_counter() - t0))
        return out, time.perf_counter() - start
    finally:
        counter.close()
