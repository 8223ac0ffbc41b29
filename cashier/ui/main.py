"""Start the counter app: ``run_gui(options, start)``.

``options`` (db, printer, lang, settings) are parsed by the composition root
(cashier/cli/gui_options.py: the same for ``cashier gui`` and ``cashier-gui``).

``start(db_path, printer_url)`` is given by the composition root (cashier.app); it returns the
Station (services) and a :class:`~cashier.ui.backend.StartInfo`. The UI never builds concrete
database, device or export objects itself.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cashier.core.wedge import WedgeConfig
from cashier.ui import i18n
from cashier.ui.backend import Backend, StartInfo
from cashier.ui.feedback import Feedback
from cashier.ui.scan_detector import ScanDetector
from cashier.ui.serial_bridge import SerialScannerBridge
from cashier.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ORG, APP = "CashierStation", "Counter"

StartFn = Callable[[str | None, str | None], tuple[Any, StartInfo]]


class GuiOptions(Protocol):
    """The options the app starts with, parsed by the composition root (``cashier gui``,
    ``cashier-gui``: cashier/cli/gui_options.py)."""

    @property
    def db(self) -> str | None: ...
    @property
    def printer(self) -> str | None: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def settings(self) -> str | None: ...


def default_resources() -> Path:
    return Path(__file__).resolve().parents[2] / "resources"


def setup_logging(log_path: Path | None) -> None:
    if log_path is None:
        return
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:
        print(f"cashier: cannot write the log {log_path}: {exc}", file=sys.stderr)
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if root.level > logging.INFO or root.level == logging.NOTSET:
        for existing in root.handlers:  # the console keeps its level (warnings only by default)
            if existing.level == logging.NOTSET:
                existing.setLevel(root.level or logging.WARNING)
        root.setLevel(logging.INFO)
    root.addHandler(handler)


def wedge_config(settings: QSettings) -> WedgeConfig:
    d = WedgeConfig()
    try:
        return WedgeConfig(
            max_gap=float(str(settings.value("scanner/max_gap_ms", d.max_gap * 1000))) / 1000,
            min_length=int(str(settings.value("scanner/min_length", d.min_length))),
            require_suffix=str(settings.value("scanner/require_suffix", "true")).lower() in ("true", "1"),
            prefix=str(settings.value("scanner/prefix", d.prefix) or ""),
        )
    except (TypeError, ValueError):
        log.warning("scanner settings unreadable: defaults")
        return d


def open_settings(path: str | None) -> QSettings:
    """This computer's settings: ``--settings FILE``; else ``$CASHIER_HOME/settings.ini`` when
    CASHIER_HOME is set (everything of that station stays in its folder, nothing in
    ~/.config); else the platform's place (registry / ~/.config/CashierStation)."""
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    home = os.environ.get("CASHIER_HOME")
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG, APP)


class App:
    """Everything the running counter app holds (handy for tests and the benchmark)."""

    def __init__(self, qapp: QApplication, station: Any, info: StartInfo, settings: QSettings) -> None:
        from cashier.ui.main_window import MainWindow

        self.qapp = qapp
        self.station = station
        self.info = info
        self.settings = settings
        self.backend = Backend(station, info)
        self.backend.warm()
        self.runner = TaskRunner()
        self.detector = ScanDetector(wedge_config(settings))
        self.detector.install(qapp)
        resources = info.resources_dir or default_resources()
        self.feedback = Feedback(resources / "sounds", sound=str(settings.value("counter/sound", "true")) == "true")
        note = ""
        if info.demo_users:
            note = qapp.translate(
                "App", "Máy mới: dữ liệu thử (demo), máy in xem trước (preview); tài khoản {accounts}"
            ).format(accounts=", ".join(f"{u}/{p}" for u, p, _r in info.demo_users))
        self.window = MainWindow(self.backend, self.runner, self.detector, self.feedback, settings, status_note=note)
        self.serial = SerialScannerBridge(info.serial_scanner)
        self.window.attach_serial_scanner(self.serial)
        port = str(settings.value("scanner/serial_port", "") or "")
        if port:
            self.serial.start(port, int(str(settings.value("scanner/serial_baud", 9600))), str(settings.value("scanner/prefix", "") or ""))

    def close(self) -> None:
        self.serial.stop()
        self.detector.uninstall()
        self.runner.shutdown(15000)
        close = getattr(self.station, "close", None)
        if close is not None:
            close()


def install_excepthook(app: App) -> None:
    """An unexpected error in a slot goes to the log with its traceback; the cashier sees one
    line in the status bar and the counter keeps running."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        try:
            app.window.show_message("error", i18n.error_text(exc))
            app.feedback.error()
        except Exception:  # noqa: BLE001 (the window may be gone)
            pass

    sys.excepthook = hook


def _qapp() -> QApplication:
    """The process's QApplication (made once; a QCoreApplication cannot run the window)."""
    found = QApplication.instance()
    if found is None:
        return QApplication(sys.argv[:1])
    if not isinstance(found, QApplication):
        raise RuntimeError("a QCoreApplication exists: the counter app needs a QApplication")
    return found


def build(args: GuiOptions, start: StartFn, qapp: QApplication | None = None) -> App:
    qapp = qapp or _qapp()
    qapp.setOrganizationName(ORG)
    qapp.setApplicationName(APP)
    settings = open_settings(args.settings)
    station, info = start(args.db, args.printer)
    setup_logging(info.log_path)
    lang = args.lang or str(settings.value("ui/language", i18n.DEFAULT_LANGUAGE))
    i18n.install(qapp, lang, info.resources_dir or default_resources())
    return App(qapp, station, info, settings)


def run_gui(options: GuiOptions, start: StartFn | None = None) -> int:
    """Run the counter app until the window closes; returns the exit code."""
    t0 = time.perf_counter()
    if start is None:
        print("cashier: run_gui needs the station factory (use `cashier gui`)", file=sys.stderr)
        return 2
    qapp = _qapp()
    try:
        app = build(options, start, qapp)
    except Exception as exc:  # noqa: BLE001
        logging.getLogger(__name__).exception("start failed")
        QMessageBox.critical(
            None,
            qapp.translate("App", "Quầy thu tiền điện"),
            qapp.translate("App", "Không khởi động được chương trình:\n{error}").format(error=i18n.error_text(exc, "vi")),
        )
        return 1
    install_excepthook(app)
    if app.window.first_start:
        app.window.showMaximized()
    else:
        app.window.show()
    log.info("window shown %.0f ms after start", (time.perf_counter() - t0) * 1000)
    QTimer.singleShot(0, app.window.start_session)
    try:
        return int(qapp.exec())
    finally:
        app.close()
