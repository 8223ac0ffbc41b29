"""Which counter has a customer on screen (issue 13 item 2: "Quầy 1 đang thu khách này").

A counter showing a customer holds a session-level advisory lock on the customer code
(``pg_try_advisory_lock(NAMESPACE, hashtext(code))``); another counter scanning the same
customer fails to take it and learns which station holds it from ``pg_locks`` and the holder's
``application_name`` ("cashier ST01@pc-name", set by ``open_postgres_storage``). It answers at once
(no waiting), and a counter that crashes or loses the network releases its customers with its
session. This is a notice only: whether a bill is collected is decided by the payment
transaction and its unique index, never by this lock. Two customer codes with the same 32-bit
hash would show the notice for each other (about one pair in four billion).
"""

from __future__ import annotations

from cashier.db.postgres.pg_base import PgStoreBase

#: the advisory lock namespace (first key) of "customer on screen"
NAMESPACE = 0x4B48  # "KH", khách hàng

_HOLDER = (
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s::oid "
    "AND l.objid = (hashtext(%s)::bigint & 4294967295)::oid AND l.objsubid = 2 AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) AND l.pid <> pg_backend_pid() LIMIT 1"
)


def _station_of(application_name: str | None) -> str:
    """"cashier ST01@pc-name" -> "ST01" (storage.session_name)."""
    name = application_name or ""
    return name[len("cashier "):].split("@", 1)[0] if name.startswith("cashier ") else (name or "?")


class PgPresenceMixin(PgStoreBase):
    def claim_customer(self, code: str) -> str | None:
        """Mark ``code`` as on this counter's screen; None when done, else the station that has
        it on screen already (nothing taken then)."""
        if self._q1("SELECT pg_try_advisory_lock(%s, hashtext(%s))", (NAMESPACE, code))[0]:  # type: ignore[index]
            return None
        return self.serving(code) or "?"

    def release_customer(self, code: str) -> None:
        """The customer left this counter's screen (collected, or the cashier moved on)."""
        self._q1("SELECT pg_advisory_unlock(%s, hashtext(%s))", (NAMESPACE, code))

    def serving(self, code: str) -> str | None:
        """The station (other than this one) that has ``code`` on screen, or None."""
        row = self._q1(_HOLDER, (NAMESPACE, code))
        return _station_of(row[0]) if row else None
