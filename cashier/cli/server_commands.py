"""The collection point's server: ``cashier server init``.

    cashier server init --db postgresql://admin:password@host:port/dbname [--station ST01 ...]
                        [--reset-passwords] [--json]

Run once on the server (and again after installing a newer version: it migrates), with a login
allowed to create databases and roles (the ``postgres`` superuser, or the owner). It creates the
database if missing, brings the schema to this program's version (schema_version; one
transaction per migration), (re)grants the ``cashier_counter`` group its rights, and makes a login
role per counter PC given with ``--station`` (``cashier_st01``: no DDL, no DELETE, the journal
INSERT-only). A new role gets a random password, printed once with the URL that counter uses
(put it in the counter's settings, or in its ``.pgpass`` and leave it out of the URL); an existing
role keeps its password unless ``--reset-passwords``. ``--json``: one document with all of it.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from cashier.cli.output import print_json
from cashier.core.errors import Conflict, InvalidInput


def register(sub: Any) -> None:
    p = sub.add_parser("server", help="the collection point's PostgreSQL server (several counters)")
    ssub = p.add_subparsers(dest="server_command", metavar="SUBCOMMAND", required=True,
                            parser_class=type(p))
    init = ssub.add_parser(
        "init",
        help="create the database, the schema and a login role per counter (--db postgresql://...)",
        description="Create (or upgrade) the collection point's database on a PostgreSQL server: "
        "the database if missing, the schema, the counters' group role and one login role per --station.",
    )
    init.add_argument("--station", action="append", default=[], metavar="CODE",
                      help="a counter PC's station code (repeat for each counter): its login role")
    init.add_argument("--reset-passwords", action="store_true",
                      help="give the existing counter roles of --station new passwords")
    init.set_defaults(handler=cmd_server_init)


def server_url(args: argparse.Namespace) -> str:
    from cashier.db.postgres.connection import is_postgres_url, normalise_url

    url = args.db or os.environ.get("CASHIER_DB")
    if not url:
        raise InvalidInput("postgres.no_url")
    if not is_postgres_url(str(url)):
        raise InvalidInput("postgres.bad_url", url=str(url))
    return normalise_url(str(url))


def init_server(url: str, stations: list[str], *, reset_passwords: bool = False) -> dict[str, Any]:
    """Everything ``server init`` does; the report as a dict (the JSON document)."""
    from cashier.db.postgres import roles
    from cashier.db.postgres.connection import (
        database_name,
        open_database,
        safe_url,
        with_database,
        with_login,
    )
    from cashier.db.postgres.schema import migrate

    codes = [roles.check_station(s) for s in stations]
    dbname = database_name(url)
    created = False
    try:
        db = open_database(url)
    except Conflict as exc:
        if exc.code != "postgres.no_database":
            raise
        admin = open_database(with_database(url, "postgres"))
        try:
            created = roles.ensure_database(admin, dbname)
        finally:
            admin.close()
        db = open_database(url)
    try:
        before, after = migrate(db)
        roles.grant_counter_rights(db, dbname)
        made = [roles.ensure_counter_role(db, code, reset_password=reset_passwords) for code in codes]
    finally:
        db.close()
    return {
        "database": dbname,
        "server": safe_url(with_database(url, dbname)),
        "database_created": created,
        "schema": {"before": before, "after": after},
        "group_role": roles.GROUP_ROLE,
        "counters": [
            {
                "station": r.station,
                "role": r.role,
                "created": r.created,
                "password": r.password,
                "url": with_login(url, r.role, r.password) if r.password else safe_url(with_login(url, r.role, None)),
            }
            for r in made
        ],
    }


def cmd_server_init(args: argparse.Namespace, station: Any) -> int:
    # (--station before the command words is the global option: one code, not a list)
    stations = [args.station] if isinstance(args.station, str) else list(args.station or [])
    report = init_server(server_url(args), stations, reset_passwords=args.reset_passwords)
    if args.json:
        print_json(args, report)
        return 0
    print(f"database {report['database']}: {'created' if report['database_created'] else 'exists'}")
    schema = report["schema"]
    if schema["before"] == schema["after"]:
        print(f"schema: v{schema['after']} (up to date)")
    else:
        print(f"schema: v{schema['before']} -> v{schema['after']}")
    print(f"group role {report['group_role']}: rights granted")
    for c in report["counters"]:
        if c["password"]:
            state = "created" if c["created"] else "new password"
            print(f"counter {c['station']}: role {c['role']} {state}; its URL (shown once): {c['url']}")
        else:
            print(f"counter {c['station']}: role {c['role']} exists (password kept)")
    return 0
