"""Scoring parameters: one TOML file, flattened to `section.key` names as stored in meta.params."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .paths import DEFAULT_CONFIG


class ConfigError(ValueError):
    """A config file that cannot be read or has unknown or ill-typed keys."""


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def load_params(path: Path | None = None) -> dict[str, object]:
    """Defaults, overridden by the keys of `path`. Unknown keys are an error: typos cannot pass silently."""
    params = _flatten(tomllib.loads(DEFAULT_CONFIG.read_text()))
    if path is None:
        return params
    try:
        user = _flatten(tomllib.loads(Path(path).read_text()))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    for key, value in user.items():
        if key not in params:
            raise ConfigError(f"{path}: unknown parameter '{key}'; known: {', '.join(sorted(params))}")
        if type(value) is not type(params[key]) and not (
            isinstance(value, int | float) and isinstance(params[key], float)
        ):
            raise ConfigError(f"{path}: '{key}' must be {type(params[key]).__name__}, got {value!r}")
        params[key] = float(value) if isinstance(params[key], float) else value
    return params
