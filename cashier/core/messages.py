"""Message catalogue for domain errors: code -> English and Vietnamese templates.

The catalogue is data: ``resources/messages/<namespace>.json``, one file per code namespace
(``money.json`` holds ``money.*``; codes without a namespace live in ``common.json``), each entry
``"money.fraction": {"en": "...", "vi": "..."}``. It is read once, on the first render. To add an
error, add its entry to the namespace's file; a test checks that every code the code base raises
has one, in both languages, with the same ``{placeholders}``.

Templates use ``str.format`` fields named after the error's params. A param may itself be
:class:`Localised` (has ``text(lang)``: a :class:`Message`, a DomainError, a list that formats its
numbers per language): it is rendered in the same language, so a message never carries text in
one language for another to show. An unknown code falls back to the code itself
plus the params, so nothing is ever shown empty.
"""

from __future__ import annotations

import json
import string
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from cashier.core.resources import resources_dir

#: the languages every entry has
LANGUAGES = ("en", "vi")
#: the file of the codes without a namespace (``error``, ``invalid_input``...)
COMMON = "common"

_lock = threading.Lock()
_catalogue: dict[str, dict[str, str]] | None = None


@runtime_checkable
class Localised(Protocol):
    """A param rendered in the reader's language."""

    def text(self, lang: str = "en") -> str: ...


@dataclass(frozen=True)
class Message:
    """A catalogue code with its params, rendered in whatever language the reader needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return render(self.code, lang, self.params)

    def __str__(self) -> str:
        return self.text("en")


def messages_dir() -> Path:
    return resources_dir() / "messages"


def namespace(code: str) -> str:
    """The catalogue file a code belongs in (without ``.json``)."""
    return code.split(".", 1)[0] if "." in code else COMMON


def load_catalogue(folder: Path) -> dict[str, dict[str, str]]:
    """Read every ``*.json`` of ``folder``; refuses a code in the wrong file or a missing language."""
    catalogue: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for code, pair in entries.items():
            if namespace(code) != path.stem:
                raise ValueError(
                    f"{path.name}: message code {code!r} belongs in {namespace(code)}.json"
                )
            if not isinstance(pair, dict) or any(
                not isinstance(pair.get(lang), str) for lang in LANGUAGES
            ):
                raise ValueError(
                    f"{path.name}: message code {code!r} needs text for {', '.join(LANGUAGES)}"
                )
            catalogue[code] = {lang: pair[lang] for lang in LANGUAGES}
    return catalogue


def catalogue() -> Mapping[str, Mapping[str, str]]:
    """The catalogue, read from resources/messages on first use."""
    global _catalogue
    if _catalogue is None:
        with _lock:
            if _catalogue is None:
                _catalogue = load_catalogue(messages_dir())
    return _catalogue


def placeholders(template: str) -> set[str]:
    """The field names a template formats (``{value!r}`` and ``{ratio:.0%}`` count as their name)."""
    names: set[str] = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name.split(".", 1)[0].split("[", 1)[0])
    return names


def _localised(value: Any, lang: str) -> Any:
    # a callable text(): an ElementTree element's .text attribute (a str) is a plain value
    return value.text(lang) if isinstance(value, Localised) and callable(value.text) else value


def render(code: str, lang: str, params: Mapping[str, Any]) -> str:
    entry = catalogue().get(code)
    if entry is None:
        extra = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{code}({extra})" if extra else code
    template = entry["vi" if lang.startswith("vi") else "en"]
    values = {k: _localised(v, lang) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template
