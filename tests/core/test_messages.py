"""The message catalogue (resources/messages/*.json) against the code that raises the errors.

Every code the code base raises or passes as a literal must have an entry, in Vietnamese and
English with the same placeholders, so no cashier ever sees a raw code.
"""

from __future__ import annotations

import ast
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cashier.core import errors, messages
from cashier.core.errors import DomainError, FileRefused, InvalidInput
from cashier.core.ledger import Permission, permission_name
from cashier.core.messages import Message, catalogue, load_catalogue, placeholders, render

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$|^[a-z][a-z_]*$")
#: calls that take a message code besides the DomainError classes: name -> index of the code
CODE_CALLS = {
    "Message": 0, "render": 0, "_message": 0, "_reject": 1, "Rejected": 1,
    "HidUnavailable": 0, "BadReport": 0, "FieldRejected": 2, "Problem": 0, "_bad": 1,
}  # fmt: skip
#: of those, the ones whose params are not keyword arguments of the call itself
UNCHECKED_PARAMS = {"render", "Message", "_reject", "Rejected", "BadReport", "FieldRejected", "Problem"}


class _Any:
    """A param value every format spec accepts ({n:,}, {ratio:.0%}, {value!r})."""

    def __format__(self, spec: str) -> str:
        return "X"

    def __repr__(self) -> str:
        return "'X'"


def _dummy(template: str) -> dict[str, Any]:
    return {name: _Any() for name in placeholders(template)}


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((ROOT / "cashier").rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """Names of DomainError and every class in cashier/ deriving from one."""
    names = {
        n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, DomainError)
    }
    grew = True
    while grew:
        grew = False
        for _, tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {
                        b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                        for b in node.bases
                    }
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


def _name(func: ast.expr) -> str:
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _literal_codes() -> dict[str, list[tuple[str, set[str] | None]]]:
    """code -> [(where, the keyword params given or None when not all are literal)]."""
    trees = list(_sources())
    classes = _error_classes(trees)
    found: dict[str, list[tuple[str, set[str] | None]]] = {}
    for path, tree in trees:
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in classes:
                for stmt in node.body:  # code = "..." class attributes
                    targets = (
                        stmt.targets
                        if isinstance(stmt, ast.Assign)
                        else [getattr(stmt, "target", None)]
                    )
                    if (
                        isinstance(stmt, ast.Assign | ast.AnnAssign)
                        and [getattr(t, "id", "") for t in targets] == ["code"]
                        and isinstance(stmt.value, ast.Constant)
                        and isinstance(stmt.value.value, str)
                    ):
                        found.setdefault(stmt.value.value, []).append(
                            (f"{where}:{stmt.lineno}", None)
                        )
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name in classes or name in CODE_CALLS:
                at = CODE_CALLS.get(name, 0)
                first = node.args[at] if len(node.args) > at else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                given: set[str] | None = {k.arg for k in node.keywords if k.arg}
                if any(k.arg is None for k in node.keywords) or name in UNCHECKED_PARAMS:
                    given = None  # params spread from a dict (or built by the caller): not checked
                found.setdefault(first.value, []).append((f"{where}:{node.lineno}", given))
    return found


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for code, entry in catalogue().items():
        assert set(entry) == {"en", "vi"}, code
        assert entry["en"].strip() and entry["vi"].strip(), code
        assert placeholders(entry["en"]) == placeholders(entry["vi"]), code
        for lang in ("en", "vi"):
            entry[lang].format(**_dummy(entry[lang]))  # a broken template would show unformatted


def test_every_raised_code_renders_in_vietnamese_and_english() -> None:
    found = _literal_codes()
    assert len(found) > 150  # the scan sees the code base (not an empty walk)
    known = catalogue()
    missing = sorted(f"{code} ({uses[0][0]})" for code, uses in found.items() if code not in known)
    assert not missing, "codes without a catalogue entry: " + ", ".join(missing)
    for code in found:
        for lang in ("en", "vi"):
            text = render(code, lang, _dummy(known[code][lang]))
            assert text and not text.startswith(code + "("), (code, lang)


def test_every_catalogue_entry_is_used() -> None:
    """A dead entry is a message nobody can see (codes built at run time: their families here)."""
    dynamic = ("permission.",)  # core.ledger.permission_name
    used = set(_literal_codes())
    dead = sorted(c for c in catalogue() if c not in used and not c.startswith(dynamic))
    assert not dead, "catalogue entries no code raises: " + ", ".join(dead)


def test_raise_sites_give_every_placeholder() -> None:
    """``FileRefused("xlsx.bomb", name=..., detail=...)`` must give what the template formats."""
    short = []
    for code, uses in _literal_codes().items():
        entry = catalogue().get(code)
        for where, given in uses:
            if entry is None or given is None or not given:
                continue
            lacking = placeholders(entry["en"]) - given
            if lacking:
                short.append(f"{where}: {code} lacks {sorted(lacking)}")
    assert not short, "\n".join(short)


def test_every_permission_has_a_name() -> None:
    for perm in Permission:
        assert not permission_name(perm).text("vi").startswith("permission."), perm
    err = errors.PermissionDenied(
        "ledger.permission", user="an", role="cashier", action=permission_name(Permission.VOID)
    )
    assert "hủy biên nhận" in err.text("vi") and "void" in str(err)


def test_catalogue_files_hold_their_namespace_only(tmp_path: Path) -> None:
    for path in sorted(messages.messages_dir().glob("*.json")):
        for code in json.loads(path.read_text(encoding="utf-8")):
            assert messages.namespace(code) == path.stem, (path.name, code)
            assert CODE.match(code), code
    (tmp_path / "money.json").write_text(
        json.dumps({"cash.x": {"en": "a", "vi": "b"}}), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="belongs in cash.json"):
        load_catalogue(tmp_path)
    (tmp_path / "money.json").write_text(json.dumps({"money.x": {"en": "a"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="needs text for en, vi"):
        load_catalogue(tmp_path)


def test_nested_messages_render_in_the_same_language() -> None:
    err = FileRefused("xlsx.short_read", name="a.xlsx", detail=Message("xlsx.short.no_end"))
    assert "does not reach its end" in str(err)
    assert "không đến được phần kết" in err.text("vi") and "reach" not in err.text("vi")


def test_unknown_code_falls_back_to_code_and_params() -> None:
    assert render("nope.nothing", "vi", {"a": 1}) == "nope.nothing(a=1)"
    assert render("nope.nothing", "en", {}) == "nope.nothing"


@pytest.mark.parametrize(
    "err",
    [
        InvalidInput("money.fraction", value="1,5"),
        FileRefused("xlsx.short_read", name="a.xlsx", detail=Message("xlsx.short.no_end")),
        errors.Conflict(),
    ],
)
def test_a_domain_error_pickles_as_itself(err: DomainError) -> None:
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and back.code == err.code and back.params == err.params
    assert str(back) == str(err) and back.text("vi") == err.text("vi")


def test_a_subclass_with_its_own_arguments_pickles_with_its_state() -> None:
    """PaidElsewhereNeedsConfirmation takes a preview and a ratio: rebuilt without __init__."""
    from cashier.core.storage_errors import StorageBusy, busy
    from cashier.services.cache_import import PaidElsewhereNeedsConfirmation
    from cashier.services.cache_ports import MissingPreview

    preview = MissingPreview({"PC12AA": (30, 40)})
    err = PaidElsewhereNeedsConfirmation(
        "import.missing_over_accepted", preview, 0.5, missing=30, accepted=3
    )
    back = pickle.loads(pickle.dumps(err))
    assert (
        type(back) is PaidElsewhereNeedsConfirmation
        and back.preview == preview
        and back.ratio == 0.5
    )
    assert back.params == {"missing": 30, "accepted": 3} and back.text("vi") == err.text("vi")
    b = pickle.loads(pickle.dumps(busy()))
    assert isinstance(b, StorageBusy) and "một thao tác khác đang ghi" in b.text("vi")
