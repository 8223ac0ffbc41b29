"""The storage ports: one narrow ``typing.Protocol`` per aggregate, and :class:`Storage`, the
bundle a backend hands to the composition root.

=======================  ===============================================================
module                   port(s)
=======================  ===============================================================
``credentials``          PasswordHasher, SecretStore (argon2id, the journal key)
``users``                UserStore
``shifts``               ShiftStore
``payments``             PaymentStore (+ ``Planner``): payments, baskets, lookups
``payment_changes``      PaymentChangeStore: voids, reprints, print outcomes
``orders``               OrderStore: reconnection orders
``journal``              JournalStore, AnchorPort
``settings``             SettingsStore
``export``               ExportStore (marking exported, batches, reconciliation),
                         ClearingWriter, ResultReader
``reports``              ReportStore
``backups``              BackupStore
``storage``              Storage (the bundle)
=======================  ===============================================================

Rules every backend keeps (tests/storage is the conformance suite, written against these ports
only):

* No backend type (sqlite3, peewee, a PostgreSQL driver) crosses a port: values are core
  dataclasses, ``str``/``int``/``dict``/``tuple``/``list``.
* Every write that moves money or changes a user is ONE transaction that writes the row(s),
  the gapless counter (receipt number, Z number) and the journal entry together: after a crash
  either all of it is there or none of it is.
* Data kept per station (receipt sequence, shifts, Z numbers, the journal chain) is keyed by the
  station code the port is given; a backend that holds one station per database (SQLite) keeps
  one journal chain per database.
* Refusals are :class:`cashier.core.errors.DomainError` subclasses with a code; a busy or full
  database is ``cashier.core.storage_errors`` (StorageBusy / StorageFull), never a driver error.
"""
