"""A real full disk (ENOSPC) during imports, on a tiny tmpfs (needs root to mount; Linux).

    sudo .venv/bin/python bench/disk_full_tmpfs.py [--size-mb 12]

Mounts a tmpfs of --size-mb, puts a station database on it, imports 2,000 customers, then
(1) a refresh of 30,000 customers whose staging fills the disk and (2) a first load of 30,000
customers on an empty database there. Prints each refusal (English and Vietnamese) and whether
the cache is as it was. The unit tests make SQLite fail the same way with PRAGMA max_page_count
(tests/cache/test_import_disk_full.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=12)
    args = ap.parse_args()
    from cashier.app import Station
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows
    from cashier.core.errors import DomainError
    from cashier.export.extract_writer import write_table

    work = Path(tempfile.mkdtemp(prefix="diskfull-"))
    mnt = work / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m", "tmpfs", str(mnt)]).returncode:
        print("cannot mount a tmpfs here (root needed)")
        return 1
    try:
        small, big = work / "small.csv", work / "big.csv"
        write_table(small, list(DEMO_FIELDS), generate_rows(2000, 1))
        write_table(big, list(DEMO_FIELDS), generate_rows(30000, 1))
        st = Station(mnt / "cashier.sqlite3")
        st.cache.import_extract(small)
        before = st.db.execute_sql("SELECT COUNT(*), SUM(total), MAX(id) FROM bill").fetchone()
        try:
            st.cache.import_extract(big, accept_missing=True)
            print("refresh: imported (the disk was big enough)")
        except DomainError as e:
            print(f"refresh: {type(e).__name__} {e.code}\n  en: {e}\n  vi: {e.text('vi')}")
        after = st.db.execute_sql("SELECT COUNT(*), SUM(total), MAX(id) FROM bill").fetchone()
        print(f"  cache as it was: {before == after}; files left: {sorted(p.name for p in mnt.iterdir())}")
        st.close()
        for p in mnt.iterdir():
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        st = Station(mnt / "cashier.sqlite3")
        try:
            st.cache.import_extract(big)
            print("first load: imported (the disk was big enough)")
        except DomainError as e:
            print(f"first load: {type(e).__name__} {e.code}\n  en: {e}\n  vi: {e.text('vi')}")
        print(f"  customers after: {st.db.execute_sql('SELECT COUNT(*) FROM customer').fetchone()[0]}")
        st.close()
    finally:
        subprocess.run(["umount", str(mnt)])
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
