"""What a command-line command gets from the composition root: a way to open its database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from models.db import Database


@dataclass
class CliContext:
    open_db: Callable[[], Database]
    #: The database file the command line names, without opening it (backups, restore).
    db_path: Callable[[], Path | str] | None = None  # a file, or a server URL
    # Looked up when the context is made, so redirected streams (tests, pipes) are honoured.
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    #: ``--pretty``: JSON indented for people; compact otherwise (for programs, and quicker).
    pretty: bool = False

    def write_json(self, data: Any, *, default: Callable[[Any], Any] | None = None) -> None:
        """Write ``data`` as JSON (Chinese as it is) and a newline on standard output."""
        # json.dumps, not json.dump: only the one-shot path uses the C encoder (5× quicker)
        if self.pretty:
            text = json.dumps(data, ensure_ascii=False, indent=2, default=default)
        else:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=default)
        self.stdout.write(text)
        self.stdout.write("\n")

    def fail(self, message: str, code: int = 1) -> int:
        """Print a Chinese error message on stderr and return the exit code."""
        print(f"错误：{message}", file=self.stderr)
        return code
