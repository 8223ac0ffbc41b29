"""Domain errors.

Every refusal the station can give is a :class:`DomainError` with a stable ``code`` and the
parameters of the message. ``str(err)`` is the English text (logs, CLI); ``err.text("vi")`` is the
Vietnamese text shown to cashiers. The catalogue lives in :mod:`cashier.core.messages`.

An error pickles as itself (class, code, params and any extra attributes a subclass keeps), so
it crosses from an import's parser process to the station unchanged; params are plain values or
:class:`~cashier.core.messages.Message` (a text rendered in the reader's language), never text
already put into one language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal with a stable code, English and Vietnamese text."""

    #: default code of the class; instances may carry a more precise one
    code: str = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        from cashier.core.messages import render

        return render(self.code, lang, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        # the default (``cls(*self.args)``) would call __init__ with the English text as code;
        # rebuild without __init__ (subclasses may take other arguments) and restore the state
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[DomainError], args: tuple[Any, ...]) -> DomainError:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    return err


class InvalidInput(DomainError):
    """The input itself is wrong (format, range, pattern)."""

    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The input is valid but the state does not allow it (already collected, no open shift...)."""

    code = "conflict"


class PermissionDenied(DomainError):
    code = "permission_denied"


class AuthenticationFailed(DomainError):
    code = "authentication_failed"


class FileRefused(DomainError):
    """A whole input file is refused (not a spreadsheet, zip bomb, wrong columns...)."""

    code = "file_refused"


class DeviceError(DomainError):
    """A device (printer, scanner, drawer) could not do what was asked."""

    code = "device_error"


class IntegrityError(DomainError):
    """A journal, export file or backup does not verify."""

    code = "integrity_error"
