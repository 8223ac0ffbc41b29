"""Message catalogue for domain errors: code -> (English, Vietnamese) templates.

Templates use ``str.format`` fields named after the error's params. Modules that add error codes
register them with :func:`register` at import time (keep codes namespaced: ``money.fraction``).
Unknown codes fall back to the code itself plus the params, so nothing is ever shown empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_CATALOGUE: dict[str, tuple[str, str]] = {
    "error": ("Unexpected error", "Lỗi không xác định"),
    "invalid_input": ("Invalid input: {detail}", "Dữ liệu không hợp lệ: {detail}"),
    "not_found": ("Not found: {what}", "Không tìm thấy: {what}"),
    "conflict": ("Not allowed now: {detail}", "Không thực hiện được: {detail}"),
    "permission_denied": (
        "Permission denied: {action} needs {role}",
        "Không có quyền: {action} cần quyền {role}",
    ),
    "authentication_failed": ("Wrong user name or password", "Sai tên đăng nhập hoặc mật khẩu"),
    "file_refused": ("File refused: {detail}", "Tệp bị từ chối: {detail}"),
    "device_error": ("Device error: {detail}", "Lỗi thiết bị: {detail}"),
    "integrity_error": ("Integrity check failed: {detail}", "Kiểm tra toàn vẹn thất bại: {detail}"),
}


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    """Add message templates; a code registered twice must keep the same text."""
    for code, pair in entries.items():
        old = _CATALOGUE.get(code)
        if old is not None and old != pair:
            raise ValueError(f"message code {code!r} registered twice with different text")
        _CATALOGUE[code] = pair


def render(code: str, lang: str, params: Mapping[str, Any]) -> str:
    pair = _CATALOGUE.get(code)
    if pair is None:
        extra = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{code}({extra})" if extra else code
    template = pair[1] if lang.startswith("vi") else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def known_codes() -> list[str]:
    return sorted(_CATALOGUE)
