"""Reading a written PDF back: its text per page, its fonts, and qpdf's verdict."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def flat(text: str) -> str:
    """Text with the line breaks and spaces a wrapped layout puts in removed."""
    return re.sub(r"\s+", "", text)


def fonts(path: Path) -> dict[str, bool]:
    """Every font the pages use: base name -> embedded (a FontFile/FontFile2/FontFile3)."""
    out: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources: Any = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descriptors = [font.get("/FontDescriptor")]
            for desc in font.get("/DescendantFonts") or []:
                descriptors.append(desc.get_object().get("/FontDescriptor"))
            embedded = False
            for d in descriptors:
                if d is None:
                    continue
                d = d.get_object()
                embedded |= any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out[name] = out.get(name, False) or embedded
    return out


def embedded_truetype(path: Path) -> bool:
    """Every font is embedded, and at least one through /FontFile2 (TrueType outlines)."""
    found = fonts(path)
    if not found or not all(found.values()):
        return False
    for page in PdfReader(path).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            desc = ref.get_object().get("/FontDescriptor")
            if desc is not None and "/FontFile2" in desc.get_object():
                return True
    return False


def qpdf_check(path: Path) -> None:
    exe = shutil.which("qpdf")
    if exe is None:
        pytest.skip("qpdf 未安装")
    run = subprocess.run([exe, "--check", str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def assert_page_numbers(texts: list[str]) -> None:
    n = len(texts)
    for k, text in enumerate(texts, start=1):
        assert f"第{k}页共{n}页" in flat(text), (k, text[-80:])
