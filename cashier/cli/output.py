"""What a command prints with ``--json``: one JSON document on stdout, success or failure.

A command that reports calls :func:`print_json` once; when the command fails before that, the
runner prints :func:`error_document` instead (``{"error": {"code", "message", "exit_code"}}``),
so a script always reads exactly one document. The one-line message stays on stderr for people.
The two streaming commands (``scan-serial``, ``scan-hid``) print one JSON object per line
(:func:`print_json_line`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

#: set on the parsed arguments once a command has printed its JSON document
_PRINTED = "_json_printed"


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def print_json(args: argparse.Namespace, data: Any) -> None:
    """The command's one JSON document (``--json``)."""
    print(dumps(data))
    setattr(args, _PRINTED, True)


def print_json_line(args: argparse.Namespace, data: Any) -> None:
    """One event of a streaming command, on one line (``--json``)."""
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)
    setattr(args, _PRINTED, True)


def json_printed(args: argparse.Namespace) -> bool:
    return bool(getattr(args, _PRINTED, False))


def error_document(code: str, message: str, exit_code: int) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "exit_code": exit_code}}


def print_error_json(code: str, message: str, exit_code: int) -> None:
    try:
        print(dumps(error_document(code, message, exit_code)), flush=True)
    except (OSError, ValueError):  # stdout gone: the exit code still tells
        pass
