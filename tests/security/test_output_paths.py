"""§2: no output overwrites the database, its -wal/-shm/-journal, a key, a backup or an existing
file (unless --force); a failed write leaves no half file."""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from pathlib import Path

import pytest

EXIT_REFUSED, EXIT_IO = 3, 5


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def db_ok(db: Path) -> bool:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and \
            con.execute("SELECT count(*) FROM customer").fetchone()[0] == 3
    finally:
        con.close()


def test_report_onto_the_live_database_is_refused(cli):
    before = digest(cli.db)
    rc, out, err = cli.as_("ql", "report", "day", "--out", str(cli.db))
    assert rc == EXIT_REFUSED and "station database" in err and err.count("\n") == 1
    rc, out, err = cli.as_("ql", "report", "day", "--out", str(cli.db), "--force")
    assert rc == EXIT_REFUSED
    assert digest(cli.db) == before and db_ok(cli.db)
    assert cli("verify")[0] == 0


@pytest.mark.parametrize("name", ["-wal", "-shm", "-journal", "UPPER", "symlink", "relative"])
def test_database_companions_and_disguises_are_refused(cli, name, monkeypatch):
    db = cli.db
    if name == "UPPER":
        target = db.with_name(db.name.upper())
    elif name == "symlink":
        target = cli.home / "innocent.xlsx"
        target.symlink_to(db)
    elif name == "relative":
        sub = cli.home / "sub"
        sub.mkdir()
        monkeypatch.chdir(sub)
        target = Path("..") / "." / db.name
    else:
        target = db.with_name(db.name + name)
    rc, out, err = cli.as_("ql", "report", "day", "--out", str(target), "--force")
    assert rc == EXIT_REFUSED and "database" in err, (name, rc, err)
    assert db_ok(db)


def test_keys_and_backups_are_never_written(cli):
    st_keys = cli.home / "keys"
    key = next(p for p in st_keys.iterdir() if p.is_file())
    before = digest(key)
    rc, out, err = cli.as_("ql", "export-key", "--out", str(key), "--force")
    assert rc == EXIT_REFUSED and "keys" in err
    rc, out, err = cli.as_("ql", "export-key", "--out", str(cli.home / "keys" / ".." / "keys" / "new.pem"))
    assert rc == EXIT_REFUSED
    assert digest(key) == before
    (cli.home / "backups").mkdir(exist_ok=True)
    rc, out, err = cli.as_("ql", "report", "day", "--out", str(cli.home / "backups" / "day.xlsx"))
    assert rc == EXIT_REFUSED and "backups" in err
    rc, out, err = cli.as_("ql", "export", "--out-dir", str(st_keys))
    assert rc == EXIT_REFUSED and "keys" in err
    rc, out, err = cli("demo-data", "--customers", "5", "--out", str(cli.db.with_name(cli.db.name + "-wal")))
    assert rc == EXIT_REFUSED


def test_existing_file_needs_force(cli):
    for argv in (["report", "day", "--out"], ["export-key", "--out"]):
        target = cli.home / f"existing-{argv[0]}.txt"
        target.write_text("keep me", encoding="utf-8")
        rc, out, err = cli.as_("ql", *argv, str(target))
        assert rc == EXIT_REFUSED and "--force" in err and target.read_text(encoding="utf-8") == "keep me"
        rc, out, err = cli.as_("ql", *argv, str(target), "--force")
        assert rc == 0, err
        assert target.read_text(encoding="utf-8") != "keep me"
    demo = cli.home / "demo.csv"
    demo.write_text("keep me", encoding="utf-8")
    assert cli("demo-data", "--customers", "5", "--out", str(demo))[0] == EXIT_REFUSED
    assert demo.read_text(encoding="utf-8") == "keep me"
    assert cli("demo-data", "--customers", "5", "--out", str(demo), "--force")[0] == 0
    assert "PC" in demo.read_text(encoding="utf-8-sig")


def test_failed_write_leaves_no_half_file(cli, monkeypatch, tmp_path):
    """A report onto a full disk: one line, the I/O exit code, no day.xlsx, no temporary file.
    A real full tmpfs when this test may mount one; else ENOSPC raised mid-write by the writer."""
    from tests.security.fullfs import fill, tiny_fs

    with tiny_fs(tmp_path / "full", 256) as fs:
        if fs is None:
            from cashier.export.reports import ReportWriter

            def half_then_full(self, report, fh):
                fh.write(b"PK\x03\x04 half a workbook")
                raise OSError(errno.ENOSPC, "No space left on device")

            monkeypatch.setattr(ReportWriter, "_xlsx", half_then_full)
            out = tmp_path / "out"
            out.mkdir()
        else:
            out = fs
            fill(fs)
        rc, _, err = cli.as_("ql", "report", "day", "--out", str(out / "day.xlsx"))
        assert rc == EXIT_IO and "disk is full" in err and err.count("\n") == 1 and "Traceback" not in err
        assert sorted(p.name for p in out.iterdir() if p.name != "filler.bin") == []


def test_atomic_writer_never_replaces_a_file_that_appeared_meanwhile(tmp_path):
    from cashier.services.output_paths import OutputRefused, atomic_write

    target = tmp_path / "a.txt"
    with pytest.raises(OutputRefused), atomic_write(target) as fh:
        fh.write(b"new")
        target.write_bytes(b"racing")  # another program created it while we wrote
    assert target.read_bytes() == b"racing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
