"""Qt Linguist translations. Source strings are Vietnamese (the default UI); English comes from
resources/translations/cashier_en.qm. Qt's own strings (dialog buttons, file chooser, message box
details, context menus) come from qtbase_<lang>.qm: PySide6 ships English; Vietnamese is ours,
resources/translations/qtbase_vi.ts (compiled by scripts/build_translations.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"

_installed: list[QTranslator] = []


def translations_dir(resources: Path) -> Path:
    return resources / "translations"


def install(app: QCoreApplication, lang: str, resources: Path) -> list[str]:
    """Install the translators for ``lang``; returns the .qm files loaded."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
    loaded: list[str] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_tr = QTranslator(app)
    ours_dir = str(translations_dir(resources))  # Qt ships no qtbase_vi.qm: ours
    if qt_tr.load(f"qtbase_{lang}", qt_dir) or qt_tr.load(f"qtbase_{lang}", ours_dir):
        app.installTranslator(qt_tr)
        _installed.append(qt_tr)
        loaded.append(f"qtbase_{lang}")
    if lang != "vi":  # Vietnamese is the source language of our strings
        ours = QTranslator(app)
        if ours.load(f"cashier_{lang}", ours_dir):
            app.installTranslator(ours)
            _installed.append(ours)
            loaded.append(f"cashier_{lang}")
        else:
            log.warning("translation cashier_%s.qm not found in %s", lang, translations_dir(resources))
    return loaded


def current_language() -> str:
    return "en" if any(t.language().startswith("en") for t in _installed) else "vi"


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """What to show for an exception: a DomainError's message in the UI language, else a
    generic sentence (the traceback goes to the log, never on screen)."""
    from cashier.core.errors import DomainError

    lang = lang or current_language()
    if isinstance(exc, DomainError):
        return exc.text(lang)
    return QCoreApplication.translate(
        "Errors", "Lỗi không mong đợi ({name}). Chi tiết đã ghi vào nhật ký; hãy báo quản lý."
    ).format(name=type(exc).__name__)
