"""Loading of the YAML data files under ``checklists/data`` with errors that name the file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from resources import resource_path


class DataFileError(ValueError):
    """A shipped or user data file is malformed. The message is Chinese and names the file."""


@cache
def data_path(name: str) -> Path:
    return resource_path("checklists", "data", name)


#: libyaml's safe loader where PyYAML was built with it (several times faster), else PyYAML's own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SAFE_LOADER)
    except FileNotFoundError as exc:
        raise DataFileError(f"数据文件不存在：{path}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise DataFileError(f"数据文件格式错误：{path.name}{where}：{exc}") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(f"数据文件不是 UTF-8 编码：{path.name}") from exc
