"""What to tell the user about an error, in Chinese."""

from __future__ import annotations


def error_text(exc: BaseException) -> str:
    """What to tell the user about an error nobody handled, in Chinese: the failures a user can
    act on by name (full disk, lock, read-only, a service's own message); anything else is a
    fault of the program, logged in the user data folder, and the message says where."""
    from services.failures import describe_failure

    return describe_failure(exc)
