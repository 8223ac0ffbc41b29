"""`cashier import` refuses a file that would turn too many bills paid elsewhere unless told
`--accept-missing` (or `--accept-missing N`): one line on stderr, no traceback, cache unchanged."""

from __future__ import annotations

import json

from cache_helpers import bill_row, write_extract

from cashier.cli import EXIT_REFUSED, main


def run(capsys, *args):
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_accept_missing(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite3")
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 51)]
    assert run(capsys, "--db", db, "import", str(write_extract(tmp_path / "1.csv", rows)))[0] == 0
    cut = str(write_extract(tmp_path / "2.csv", rows[10:]))  # 10 of 50 missing
    rc, out, err = run(capsys, "--db", db, "import", cut)
    assert rc == EXIT_REFUSED and "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.startswith("cashier:")]
    assert len(lines) == 1 and "10 of the 50" in lines[0] and "--accept-missing" in lines[0]
    rc, out, err = run(capsys, "--db", db, "import", cut, "--accept-missing", "9")
    assert rc == EXIT_REFUSED and "more than the 9 accepted" in err
    rc, out, err = run(capsys, "--db", db, "lookup", "PC12AA0000001", "--json")
    assert json.loads(out)["bills"][0]["status"] == "unpaid"  # nothing was imported
    rc, out, err = run(capsys, "--db", db, "import", cut, "--accept-missing", "--json")
    assert rc == 0 and json.loads(out)["paid_elsewhere"] == 10
