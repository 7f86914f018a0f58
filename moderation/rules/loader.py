"""Load rule files into one validated ``Ruleset`` (SPEC §6).

Every ``*.yaml`` under the rules directory (hidden files and folders aside,
sorted by relative path) plus the list files they name form one ruleset.
Lists are global: a list defined in one file can be used by any file, and a
name may be defined once. Only one file may set ``default`` (two are an
error naming both places); without one the default is ``approve``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from moderation.rules.compiler import Compiler
from moderation.rules.engine import CompiledRule, Ruleset, RuleTest
from moderation.rules.lists import ListDef
from moderation.rules.matching import TermIndex
from moderation.rules.patterns import PatternBook, PatternDef, check_patterns, read_patterns
from moderation.rules.problems import Reporter, RuleError, RulesetInvalid, join, key_line, node_line
from moderation.rules.schema import FileSchema, ListFileSchema, RuleSchema, TestCaseSchema

Thresholds = Mapping[str, Collection[str]]
ListReader = Callable[[str], str | None]


def rule_files(root: Path) -> list[Path]:
    """The rule files under ``root``, sorted by relative path, hidden ones skipped."""
    found = [p for p in root.rglob("*.yaml") if p.is_file() and not _hidden(p.relative_to(root))]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def load_ruleset(directory: str | Path, known_thresholds: Thresholds | None = None) -> Ruleset:
    """Load and validate a rules directory; raise ``RulesetInvalid`` with every error."""
    root = Path(directory)
    return compile_ruleset(
        rule_texts(root), lambda rel: read_list_file(root, rel), known_thresholds=known_thresholds
    )


def rule_texts(root: Path) -> dict[str, str]:
    """``{relative path: text}`` of the rule files under ``root``; ``RulesetInvalid`` if none."""
    if not root.is_dir():
        raise RulesetInvalid([RuleError("", 0, "", f"rules directory {str(root)!r} not found")])
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8", errors="replace")
        for p in rule_files(root)
    }


def read_list_file(root: Path, rel: str) -> str | None:
    """The text of list file ``rel`` under ``root``, None if there is none."""
    path = root / rel
    return path.read_text("utf-8", errors="replace") if path.is_file() else None


def compile_ruleset(
    files: Mapping[str, str],
    read_list: ListReader | Mapping[str, str],
    *,
    known_thresholds: Thresholds | None = None,
) -> Ruleset:
    """Validate and compile rule files given as text (``{relative path: YAML}``)."""
    reader = read_list.get if isinstance(read_list, Mapping) else read_list
    build = _Build(reader, known_thresholds)
    for name in sorted(files):
        build.parse(name, files[name])
    return build.finish()


class _Build:
    """State of one load: parsed files, lists, rules, tests and errors."""

    def __init__(self, read_list: ListReader, known_thresholds: Thresholds | None) -> None:
        self.read_list, self.known_thresholds = read_list, known_thresholds
        self.errors: list[RuleError] = []
        self.docs: list[tuple[str, Any]] = []
        self.hashed: dict[str, str] = {}
        self.lists: dict[str, ListDef] = {}
        self.list_origin: dict[str, str] = {}
        self.patterns: dict[str, PatternDef] = {}
        self.defaults: list[tuple[str, int, str]] = []
        self.index = TermIndex()
        self.rules: list[CompiledRule] = []
        self.tests: list[RuleTest] = []
        self.ids: dict[str, list[tuple[str, int, str]]] = {}  # id -> (file, line, key) of each

    def parse(self, name: str, text: str) -> None:
        """Parse one file and load its lists and default (rules wait for every list)."""
        self.hashed[name] = text
        report = Reporter(name, self.errors)
        try:
            doc = YAML(typ="rt").load(text)
        except YAMLError as exc:
            report.add(_yaml_line(exc), "", f"invalid YAML: {_yaml_problem(exc)}")
            return
        except RecursionError:
            report.add(1, "", "invalid YAML: nested too deeply")
            return
        if doc is None:
            return
        if not isinstance(doc, dict):
            report.add(1, "", "expected a mapping")
            return
        problems = FileSchema().validate(doc)
        report.marshmallow(problems, doc, "", 1) if problems else None
        _drop_malformed(doc, problems)
        self.docs.append((name, doc))
        self._lists(report, doc)
        read_patterns(report, doc.get("patterns") or {}, self.patterns)
        if "default" in doc:
            self.defaults.append((name, key_line(doc, "default", 1), str(doc["default"])))

    def _lists(self, report: Reporter, doc: Any) -> None:
        lists = doc.get("lists") or {}
        for list_name, spec in lists.items():
            line, path = key_line(lists, list_name, 1), join("lists", list_name)
            if list_name in self.lists:
                report.add(
                    line,
                    path,
                    f"list {list_name!r} is already defined in {self.list_origin[list_name]}",
                )
                continue
            # A broken list is still defined (empty): its uses are not errors of their own.
            items = self._list_items(report, spec, path, line) or ()
            typos = spec.get("typos", False) if isinstance(spec, dict) else False
            self.lists[list_name] = ListDef(list_name, items, typos)
            self.list_origin[list_name] = f"{report.file}:{line}"

    def _list_items(
        self, report: Reporter, spec: Any, path: str, line: int
    ) -> tuple[tuple[str, str, int], ...] | None:
        if isinstance(spec, list):
            if not all(isinstance(v, str) and v.strip() for v in spec):
                report.add(line, path, "expected a list of non-empty strings or {file: path}")
                return None
            return tuple(
                (v.strip(), report.file, key_line(spec, i, line)) for i, v in enumerate(spec)
            )
        data = report.load(ListFileSchema(), spec, path, line)
        if data is None:
            return None
        rel = _safe_relative(data["file"])
        text = self.read_list(rel) if rel else None
        if rel is None or text is None:
            problem = (
                "must be a relative path inside the rules directory" if rel is None else "not found"
            )
            file_line = key_line(spec, "file", line)
            report.add(file_line, join(path, "file"), f"list file {data['file']!r} {problem}")
            return None
        self.hashed[rel] = text
        return tuple(_parse_list(rel, text))

    def finish(self) -> Ruleset:
        """Compile rules and tests; raise ``RulesetInvalid`` if anything is wrong."""
        self._check_defaults()
        self.index_rules()
        self.index.build()
        self._check_ids()
        for name, doc in self.docs:
            self._tests(Reporter(name, self.errors), doc, set(self.ids))
        if self.errors:
            raise RulesetInvalid(self.errors)
        return Ruleset(
            version=version_of(self.hashed),
            rules=tuple(self.rules),
            index=self.index,
            default=self.defaults[0][2] if self.defaults else "approve",  # type: ignore[arg-type]
            files=tuple(sorted(self.hashed)),
            tests=tuple(self.tests),
            lists={name: len(d.items) for name, d in self.lists.items()},
        )

    def _check_defaults(self) -> None:
        first = self.defaults[0] if self.defaults else None
        for name, line, _ in self.defaults[1:]:
            where = f"{first[0]}:{first[1]}" if first else ""
            message = f"default is already set in {where}; only one file may set it"
            self.errors.append(RuleError(name, line, "default", message))

    def index_rules(self) -> None:
        """Compile the rules of every parsed file, in file order."""
        book = PatternBook(self.patterns, self.lists)
        check_patterns(book, self.list_origin, self.errors)
        for name, doc in self.docs:
            report = Reporter(name, self.errors)
            compiler = Compiler(report, self.lists, self.index, self.known_thresholds, book)
            rules = doc.get("rules") or []
            for i, node in enumerate(rules):
                rule = self._rule(report, compiler, node, f"rules[{i}]", key_line(rules, i, 1))
                if rule is not None:
                    self.rules.append(rule)

    def _rule(
        self, report: Reporter, compiler: Compiler, node: Any, path: str, line: int
    ) -> CompiledRule | None:
        line = node_line(node, line)
        data = report.load(RuleSchema(), node, path, line)
        condition = None
        if isinstance(node, dict):  # report every key's errors, even if other keys are bad
            self._declare(report.file, node.get("id"), key_line(node, "id", line), path)
            if "if" in node:
                if_line = key_line(node, "if", line)
                condition = compiler.condition(node["if"], join(path, "if"), if_line)
        if data is None or condition is None:
            return None
        return CompiledRule(
            id=data["id"],
            action=data["then"],
            priority=data["priority"],
            reason=data.get("reason"),
            condition=condition,
            file=report.file,
            line=line,
            description=data.get("description", ""),
            enabled=data["enabled"],
            article=data.get("article"),
            category=data.get("category"),
        )

    def _declare(self, file: str, rule_id: Any, line: int, path: str) -> None:
        if isinstance(rule_id, str):
            self.ids.setdefault(rule_id, []).append((file, line, join(path, "id")))

    def _check_ids(self) -> None:
        """Report a duplicate rule id at every place that defines it."""
        for rule_id, places in self.ids.items():
            if len(places) < 2:
                continue
            (first_file, first_line, first_key), *others = places
            again = ", ".join(f"{file}:{line}" for file, line, _ in others)
            message = f"rule id {rule_id!r} is defined again at {again}"
            self.errors.append(RuleError(first_file, first_line, first_key, message))
            for file, line, key in others:
                message = (
                    f"duplicate rule id {rule_id!r} (first defined at {first_file}:{first_line})"
                )
                self.errors.append(RuleError(file, line, key, message))

    def _tests(self, report: Reporter, doc: Any, ids: set[str]) -> None:
        tests = doc.get("tests") or []
        for i, node in enumerate(tests):
            line = node_line(node, key_line(tests, i, 1))
            case, ok = report.load_all(TestCaseSchema(), node, f"tests[{i}]", line)
            rule_id = case.get("rule")
            if rule_id is not None and rule_id not in ids:
                report.add(
                    key_line(node, "rule", line), f"tests[{i}].rule", f"unknown rule {rule_id!r}"
                )
            elif ok:
                self.tests.append(RuleTest(report.file, line, case))


def _drop_malformed(doc: Any, problems: Mapping[str, Any]) -> None:
    # Keys too malformed to read are set aside (their errors are recorded) so the
    # rest of the file is still checked; a mapping of lists stays, bad names and all.
    for key in problems:
        if key in doc and not (key in ("lists", "patterns") and isinstance(doc[key], dict)):
            del doc[key]


def _parse_list(rel: str, text: str) -> list[tuple[str, str, int]]:
    items = []
    for n, raw in enumerate(text.splitlines(), start=1):
        term = raw.split(" #", 1)[0].strip()
        if term and not term.startswith("#"):
            items.append((term, rel, n))
    return items


def _safe_relative(path: str) -> str | None:
    # List files must stay inside the rules directory.
    rel = PurePosixPath(path.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return None
    return rel.as_posix()


def version_of(files: Mapping[str, str]) -> str:
    """``sha256:`` + hash of every file's name and content, in sorted order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode("utf-8", "replace") + b"\0")
    return "sha256:" + digest.hexdigest()


def _yaml_line(exc: YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def _yaml_problem(exc: YAMLError) -> str:
    if isinstance(exc, MarkedYAMLError):
        text = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
        mark = exc.context_mark
        return (
            f"{text} (started at line {mark.line + 1})"
            if mark is not None and exc.context
            else text
        )
    return str(exc).splitlines()[0]
