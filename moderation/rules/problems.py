"""Validation errors that name file, line and key, and how they are collected."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError


@dataclass(frozen=True, order=True)
class RuleError:
    """One problem in a rule or list file."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Serialise for the API."""
        return {"file": self.file, "line": self.line, "key": self.key, "message": self.message}


class RulesetInvalid(ValueError):
    """A ruleset that failed validation; ``errors`` says where and why."""

    def __init__(self, errors: Iterable[RuleError]) -> None:
        self.errors = tuple(sorted(set(errors)))
        shown = "; ".join(str(e) for e in self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"invalid ruleset: {shown}{more}")


class RulesUnavailable(RuntimeError):
    """No valid ruleset has ever loaded in this process."""

    def __init__(self, message: str, errors: Iterable[RuleError] = ()) -> None:
        super().__init__(message)
        self.errors = tuple(errors)


_MESSAGES = {
    "Missing data for required field.": "missing required key",
    "Field may not be null.": "may not be empty",
}


def key_line(node: Any, key: Any, fallback: int) -> int:
    """1-based line of ``key`` in a ruamel mapping or sequence, else ``fallback``."""
    lc = getattr(node, "lc", None)
    try:
        if lc is not None and isinstance(node, dict) and key in node:
            return int(lc.key(key)[0]) + 1
        if lc is not None and isinstance(node, list) and isinstance(key, int):
            return int(lc.item(key)[0]) + 1
    except (KeyError, IndexError, TypeError):
        pass
    return fallback


def node_line(node: Any, fallback: int) -> int:
    """1-based line where a ruamel node starts."""
    lc = getattr(node, "lc", None)
    return int(lc.line) + 1 if lc is not None and lc.line is not None else fallback


def join(path: str, key: Any) -> str:
    """Extend a dotted key path."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class Reporter:
    """Collects errors for one file."""

    def __init__(self, file: str, errors: list[RuleError]) -> None:
        self.file, self.errors = file, errors

    def add(self, line: int, key: str, message: str) -> None:
        """Record one error."""
        self.errors.append(RuleError(self.file, line, key, message))

    def marshmallow(
        self, messages: Any, node: Any, path: str, line: int, unknown: str = "unknown key {name}"
    ) -> None:
        """Record marshmallow's nested messages, each at the line of its key."""
        if messages == ["Unknown field."]:
            self.add(line, path, unknown.format(name=repr(path.rsplit(".", 1)[-1])))
        elif isinstance(messages, list):
            for message in messages:
                self.marshmallow(message, node, path, line)
        elif isinstance(messages, dict):
            for key, sub in messages.items():
                if key in ("_schema", "key", "value"):
                    self.marshmallow(sub, node, path, line, unknown)
                    continue
                child = _child(node, key)
                self.marshmallow(sub, child, join(path, key), key_line(node, key, line), unknown)
        else:
            self.add(line, path, _MESSAGES.get(str(messages), str(messages)))

    def load(
        self, schema: Schema, node: Any, path: str, line: int, unknown: str = "unknown key {name}"
    ) -> dict[str, Any] | None:
        """Validate ``node`` with ``schema``; None (errors recorded) if invalid."""
        data, ok = self.load_all(schema, node, path, line, unknown)
        return data if ok else None

    def load_all(
        self, schema: Schema, node: Any, path: str, line: int, unknown: str = "unknown key {name}"
    ) -> tuple[dict[str, Any], bool]:
        """Validate ``node``: its well-formed keys, and whether every key was (errors recorded)."""
        if not isinstance(node, dict):
            self.add(line, path, "expected a mapping")
            return {}, False
        try:
            return schema.load(node), True
        except ValidationError as exc:
            self.marshmallow(exc.messages, node, path, line, unknown)
            # The valid keys are still checked further, so one run reports every error.
            valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
            return valid, False


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None
