"""The outbox against a real server (issue 13 item 3): payments a counter collected on its local
SQLite while the server was down upload once, in order, idempotently; a bill collected offline at
counter 2 and online at counter 1 becomes a refund case in the same cycle; a payment the server
cannot take is set aside and never blocks the ones after it."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace

import pytest
from outbox_helpers import add_local_customers, offline_station
from pg_helpers import StaticSecret, add_cashier, add_customers, customer_code, open_counter

from cashier.core import journal as jr
from cashier.core.errors import Conflict
from cashier.db.postgres.export_store import PgExportStore
from cashier.db.postgres.outbox_apply import PgOutboxApply
from cashier.services.outbox_sync import OutboxSync
from cashier.services.ports.outbox import APPLIED, REFUND_CASE

N = 12


@pytest.fixture
def server(pg_url):
    counter = open_counter(pg_url, "ST02", migrate=True)
    add_customers(counter.storage.db, N)
    add_cashier(counter, "thu2")
    yield counter
    counter.close()


@pytest.fixture
def offline(tmp_path):
    st, user, outbox = offline_station(tmp_path / "counter2.sqlite3", "ST02", "thu2", N)
    yield st, user, outbox
    st.close()


def sync_for(server, outbox) -> OutboxSync:
    return OutboxSync(outbox, PgOutboxApply(server.storage.db, StaticSecret("ST02"), station="ST02"))


def server_receipts(server, station="ST02") -> list[str]:
    return [p.receipt_no for p in server.storage.ledger.payments(station=station)]


def assert_journal_verifies(server, station="ST02"):
    journal = server.storage.journal
    result = jr.verify_chain(StaticSecret(station).secret(), journal.iter_journal(station),
                             journal.journal_head(station)[:3])
    assert result.ok, result


def test_offline_payments_upload_once_in_order(server, offline):
    st, user, outbox = offline
    order = [5, 1, 9, 2, 12, 7]
    local = [st.collect.collect(user, customer_code(i), 500_000) for i in order]
    sync = sync_for(server, outbox)
    assert sync.pending_count() == 6 and sync.status().text("vi") == "6 lần thu đang chờ gửi lên máy chủ"

    counts = sync.run_once()
    assert (counts.uploaded, counts.duplicates, counts.refund_cases, counts.set_aside, counts.pending) == (6, 0, 0, 0, 0)
    assert server_receipts(server) == [p.receipt_no for p in local]  # each once, in the station's order
    for p in local:
        on_server = server.storage.ledger.payment(p.receipt_no)
        assert (on_server.total, on_server.tendered, on_server.change) == (p.total, p.tendered, p.change)
        assert [(ln.bill_id, ln.amount) for ln in on_server.lines] == [(ln.bill_id, ln.amount) for ln in p.lines]
    _, bills = server.storage.ledger.customer_with_bills(customer_code(5))
    assert {b.status.value for b in bills} == {"collected"}
    assert PgOutboxApply(server.storage.db, StaticSecret("ST02"), station="ST02").last_sequence("ST02") == 6
    assert_journal_verifies(server)

    again = sync.run_once()  # nothing left: no duplicates
    assert (again.uploaded, again.duplicates, again.pending) == (0, 0, 0)
    assert len(server_receipts(server)) == 6


def test_a_resend_after_a_lost_answer_is_a_duplicate_with_the_same_answer(server, offline):
    st, user, outbox = offline
    for i in (1, 2, 3):
        st.collect.collect(user, customer_code(i), 500_000)
    apply = PgOutboxApply(server.storage.db, StaticSecret("ST02"), station="ST02")
    first = outbox.pending()[0]
    answer = apply.apply(first)  # the server committed, the counter never heard (not marked)
    assert (answer.outcome, answer.duplicate) == (APPLIED, False)
    again = apply.apply(first)
    assert (again.outcome, again.receipt_no, again.duplicate) == (APPLIED, answer.receipt_no, True)

    counts = sync_for(server, outbox).run_once()
    assert (counts.uploaded, counts.duplicates, counts.pending) == (2, 1, 0)
    assert len(server_receipts(server)) == 3 == len(set(server_receipts(server)))


def test_same_bill_offline_at_counter_2_and_online_at_counter_1_is_a_refund_case(server, offline, pg_url):
    st, user, outbox = offline
    counter1 = open_counter(pg_url, "ST01")
    try:
        add_cashier(counter1, "thu1")
        u1 = counter1.users.login("thu1", "counter-pw-1")
        counter1.shifts.open_shift(u1, 0)
        online = counter1.collect.collect(u1, customer_code(4), 500_000)  # counter 1, on the server
    finally:
        counter1.close()
    offline_pay = st.collect.collect(user, customer_code(4), 500_000)  # counter 2, offline
    st.collect.collect(user, customer_code(6), 500_000)

    counts = sync_for(server, outbox).run_once()  # one cycle
    assert (counts.uploaded, counts.refund_cases, counts.set_aside, counts.pending) == (2, 1, 0, 0)
    cases = PgExportStore(server.storage.db).refund_cases()
    assert sorted((c["bill_id"], c["receipt_no"], c["amount"]) for c in cases) == sorted(
        (ln.bill_id, offline_pay.receipt_no, ln.amount) for ln in offline_pay.lines)
    assert all(online.receipt_no in c["reason"] and c["customer_code"] == customer_code(4) for c in cases)
    # the cash taken offline is recorded (it is in counter 2's drawer), the bill still settled once
    recorded = server.storage.ledger.payment(offline_pay.receipt_no)
    assert recorded is not None and recorded.total == offline_pay.total
    settling = server.storage.db.execute_sql(
        "SELECT count(*) FROM payment_line l JOIN bill b ON b.id = l.bill_row "
        "WHERE b.customer_code = %s AND l.active AND l.settles", (customer_code(4),)).fetchone()[0]
    assert settling == 2  # counter 1's two lines only
    exported = PgExportStore(server.storage.db).pending().rows
    assert [r for r in exported if r.receipt_no == offline_pay.receipt_no] == []  # never a second clearing
    assert sorted(r.bill_id for r in exported if r.receipt_no == online.receipt_no) == ["HD00000041", "HD00000042"]
    state = st.db.execute_sql("SELECT outcome FROM outbox_state o JOIN payment p ON p.id = o.payment_id "
                              "WHERE p.receipt_no = ?", (offline_pay.receipt_no,)).fetchone()[0]
    assert state == REFUND_CASE
    assert_journal_verifies(server)


def test_a_bad_payment_is_set_aside_and_later_ones_upload(server, offline):
    st, user, outbox = offline
    add_local_customers(st.db, 1, start=N + 1)  # a customer the server does not know
    first = st.collect.collect(user, customer_code(1), 500_000)
    bad = st.collect.collect(user, customer_code(N + 1), 500_000)
    later = [st.collect.collect(user, customer_code(i), 500_000) for i in (2, 3)]

    counts = sync_for(server, outbox).run_once()
    assert (counts.uploaded, counts.set_aside, counts.pending) == (3, 1, 0)
    assert server_receipts(server) == [first.receipt_no] + [p.receipt_no for p in later]
    aside = outbox.set_aside_items()
    assert [(a.receipt_no, a.reason_code) for a in aside] == [(bad.receipt_no, "outbox.unknown_customer")]
    assert customer_code(N + 1) in aside[0].reason
    assert sync_for(server, outbox).run_once().set_aside == 0  # set aside: not retried every cycle


def test_only_the_bill_collected_twice_becomes_a_refund_case(server, offline, pg_url):
    st, user, outbox = offline
    counter1 = open_counter(pg_url, "ST01")
    try:
        add_cashier(counter1, "thu1")
        u1 = counter1.users.login("thu1", "counter-pw-1")
        counter1.shifts.open_shift(u1, 0)
        online = counter1.collect.collect(u1, customer_code(8), 500_000, bill_ids=["HD00000081"])
    finally:
        counter1.close()
    offline_pay = st.collect.collect(user, customer_code(8), 500_000)  # both bills, offline

    counts = sync_for(server, outbox).run_once()
    assert (counts.uploaded, counts.refund_cases) == (1, 1)
    cases = PgExportStore(server.storage.db).refund_cases()
    assert [(c["bill_id"], c["receipt_no"]) for c in cases] == [("HD00000081", offline_pay.receipt_no)]
    assert online.receipt_no in cases[0]["reason"]
    _, bills = server.storage.ledger.customer_with_bills(customer_code(8))
    assert {b.bill_id: b.receipt for b in bills} == {"HD00000081": online.receipt_no,
                                                     "HD00000082": offline_pay.receipt_no}


def test_a_receipt_number_the_station_used_online_is_set_aside_not_lost(server, offline):
    st, user, outbox = offline
    server.shifts.open_shift(server.users.login("thu2", "counter-pw-1"), 0)
    online = server.collect.collect(server.users.login("thu2", "counter-pw-1"), customer_code(10), 500_000)
    offline_pay = st.collect.collect(user, customer_code(1), 500_000)
    assert online.receipt_no == offline_pay.receipt_no == "ST02-0000001"  # two series, one number

    counts = sync_for(server, outbox).run_once()
    assert (counts.uploaded, counts.set_aside, counts.pending) == (0, 1, 0)
    assert [a.reason_code for a in outbox.set_aside_items()] == ["outbox.receipt_taken"]
    _, bills = server.storage.ledger.customer_with_bills(customer_code(1))
    assert {b.status.value for b in bills} == {"unpaid"}  # nothing half-applied


def test_the_same_sequence_under_another_uuid_is_refused(server, offline):
    st, user, outbox = offline
    st.collect.collect(user, customer_code(1), 500_000)
    item = outbox.pending()[0]
    apply = PgOutboxApply(server.storage.db, StaticSecret("ST02"), station="ST02")
    apply.apply(item)
    with pytest.raises(Conflict) as err:  # e.g. a restored counter database numbering again
        apply.apply(replace(item, client_uuid=str(uuid.uuid4())))
    assert err.value.code == "outbox.sequence_reused"
    assert len(server_receipts(server)) == 1


def test_two_uploads_of_one_payment_racing_apply_it_once(server, offline, pg_url):
    st, user, outbox = offline
    st.collect.collect(user, customer_code(3), 500_000)
    item = outbox.pending()[0]
    second = open_counter(pg_url, "ST02")
    applies = [PgOutboxApply(c.storage.db, StaticSecret("ST02"), station="ST02") for c in (server, second)]
    results: list = []
    start = threading.Barrier(2)

    def upload(apply: PgOutboxApply) -> None:
        start.wait()
        results.append(apply.apply(item))

    threads = [threading.Thread(target=upload, args=(a,)) for a in applies]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        second.close()
    assert sorted(r.duplicate for r in results) == [False, True]
    assert {(r.outcome, r.receipt_no) for r in results} == {(APPLIED, item.payment.receipt_no)}
    assert server_receipts(server) == [item.payment.receipt_no]
    assert PgExportStore(server.storage.db).refund_cases() == []


def test_a_counter_role_uploads_its_outbox(pg_cluster, pg_dbname, offline):
    """With only the rights ``server init`` gives a counter's login (not the owner's)."""
    from cashier.cli.server_commands import init_server

    info = init_server(pg_cluster.url(pg_dbname), ["ST02"], reset_passwords=True)
    owner = open_counter(pg_cluster.url(pg_dbname), "ST02")
    try:
        add_customers(owner.storage.db, N)
        add_cashier(owner, "thu2")
    finally:
        owner.close()
    st, user, outbox = offline
    first = st.collect.collect(user, customer_code(1), 500_000)
    counter = open_counter(info["counters"][0]["url"], "ST02")
    try:
        counts = sync_for(counter, outbox).run_once()
        assert (counts.uploaded, counts.set_aside, counts.pending) == (1, 0, 0), outbox.set_aside_items()
        assert server_receipts(counter) == [first.receipt_no]
    finally:
        counter.close()
