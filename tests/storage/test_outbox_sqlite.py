"""The outbox on the counter's SQLite ledger (migration 4): every payment gets a unique client
UUID and its station sequence at commit; it waits until marked uploaded or set aside."""

from __future__ import annotations

import sqlite3

import pytest
from outbox_helpers import customer_code, offline_station

from cashier.core.errors import Conflict, DomainError, NotFound
from cashier.db.sqlite import schema
from cashier.services.outbox_sync import OutboxSync
from cashier.services.ports.outbox import APPLIED, ApplyResult


@pytest.fixture
def counter(tmp_path):
    st, user, outbox = offline_station(tmp_path / "counter.sqlite3", "ST02", "thu2", 5)
    yield st, user, outbox
    st.close()


def test_each_payment_waits_with_its_own_uuid_in_station_order(counter):
    st, user, outbox = counter
    receipts = [st.collect.collect(user, customer_code(i), 500_000).receipt_no for i in (3, 1, 2)]
    items = outbox.pending()
    assert [it.payment.receipt_no for it in items] == receipts  # commit order, not customer order
    assert [it.sequence for it in items] == [1, 2, 3]
    assert len({it.client_uuid for it in items}) == 3 and all(len(it.client_uuid) == 36 for it in items)
    assert {it.station for it in items} == {"ST02"} and items[0].shift_opening_float == 500_000
    assert outbox.pending_count() == 3


def test_the_database_refuses_a_uuid_twice(counter):
    st, user, outbox = counter
    st.collect.collect(user, customer_code(1), 500_000)
    st.collect.collect(user, customer_code(2), 500_000)
    first = outbox.pending()[0].client_uuid
    with pytest.raises(sqlite3.IntegrityError):
        st.db.connection().execute("UPDATE payment SET client_uuid = ? WHERE client_seq = 2", (first,))


def test_uploaded_and_set_aside_leave_the_queue_and_retry_puts_back(counter):
    st, user, outbox = counter
    for i in (1, 2, 3):
        st.collect.collect(user, customer_code(i), 500_000)
    a, b, c = outbox.pending()
    outbox.mark_uploaded(a, ApplyResult(APPLIED, a.payment.receipt_no), "2026-11-23T10:00:00+07:00")
    outbox.set_aside(b, "outbox.unknown_customer", "Customer ... is not on the server", "2026-11-23T10:00:01+07:00")
    assert [it.client_uuid for it in outbox.pending()] == [c.client_uuid]
    aside = outbox.set_aside_items()
    assert [(s.receipt_no, s.reason_code) for s in aside] == [(b.payment.receipt_no, "outbox.unknown_customer")]
    assert outbox.retry(b.client_uuid) is True
    assert [it.client_uuid for it in outbox.pending()] == [b.client_uuid, c.client_uuid]
    assert outbox.retry(a.client_uuid) is False  # an uploaded one never goes back


def test_migration_4_leaves_older_payments_out_of_the_outbox(counter):
    st, user, outbox = counter
    st.collect.collect(user, customer_code(1), 500_000)
    conn = st.db.connection()
    conn.execute("UPDATE payment SET client_uuid = NULL, client_seq = NULL")  # as a v3 payment
    assert outbox.pending_count() == 0
    assert schema.SCHEMA_VERSION == 4
    schema.add_outbox_columns(conn)  # idempotent on a migrated database
    assert outbox.pending_count() == 0


class ConnectionLost(DomainError):  # as the PostgreSQL backend raises it
    code = "postgres.connection_lost"


class _DownServer:
    def apply(self, item):
        raise ConnectionLost("postgres.connection_lost", what="test")


class _RefusingServer:
    def apply(self, item):
        raise NotFound("outbox.unknown_customer", code=item.payment.customer.code, receipt=item.payment.receipt_no)


def test_closing_a_shift_is_refused_while_payments_are_not_on_the_server(counter):
    st, user, outbox = counter
    OutboxSync(outbox, _DownServer()).refuse_close_with_pending()  # nothing waits: allowed
    st.collect.collect(user, customer_code(1), 500_000)
    st.collect.collect(user, customer_code(2), 500_000)
    down = OutboxSync(outbox, _DownServer())
    counts = down.run_once()  # the server is down: the cycle stops, both stay pending
    assert (counts.uploaded, counts.set_aside, counts.pending, counts.stopped_by) == (0, 0, 2, "postgres.connection_lost")
    with pytest.raises(Conflict) as err:
        down.refuse_close_with_pending()
    assert err.value.code == "outbox.close_with_pending" and "2" in err.value.text("vi")
    OutboxSync(outbox, _RefusingServer()).run_once()  # set aside is still not on the server
    with pytest.raises(Conflict, match=r"2 payment\(s\) .* \(2 of them set aside\)"):
        down.refuse_close_with_pending()
