"""Admin pages: the live ruleset, check and backtest of a rule file, models, stats."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, render_template, request, send_file

from moderation.classifier.service import active_version, installed_versions, model_store
from moderation.console import charts
from moderation.console.security import require_admin
from moderation.durations import parse_duration
from moderation.extensions import db
from moderation.rules import service as rules
from moderation.rules.problems import RulesetInvalid
from moderation.rules.store import rules_store
from moderation.stats.service import stats

_YAML_NAME = re.compile(r"^[\w.-]{1,100}\.yaml$")
_PLOT = re.compile(r"^pr-[a-z_]{1,40}\.png$")
MAX_RULE_FILE = 256 * 1024


def admins_only() -> None:
    """Before every console request: the admin pages are for admins only."""
    if (request.endpoint or "").startswith("console.admin_"):
        require_admin()


def _candidate() -> tuple[dict[str, str], list[str]]:
    """The edited text or the uploaded file, with a safe name; problems as messages."""
    upload = request.files.get("upload")
    name = (request.form.get("name") or "candidate.yaml").strip()
    text = request.form.get("text", "")
    if upload is not None and upload.filename:
        name = Path(upload.filename).name
        raw = upload.read(MAX_RULE_FILE + 1)
        text = raw.decode("utf-8", errors="replace")
    problems = []
    if not _YAML_NAME.match(name):
        problems.append("The file name must end in .yaml (letters, digits, . _ -).")
    if len(text) > MAX_RULE_FILE:
        problems.append("The rule file is over 256 KiB.")
    return {name: text}, problems


def _rules_page(**extra: Any) -> str:
    status = rules.rules_status(store=rules_store())
    return render_template("console/admin_rules.html", status=status, **extra)


def admin_rules() -> str:
    """The live ruleset and any refused change."""
    return _rules_page(text="", name="candidate.yaml", since="30d")


def admin_rules_check() -> str:
    """Validate the edited or uploaded file and run its tests."""
    files, problems = _candidate()
    ((name, text),) = files.items()
    result = None
    if not problems:
        # The edited file over the live rules, as POST /v1/rules/check does by default.
        result = rules.check_files(
            files=files,
            lists={},
            mode="overlay",
            directory=current_app.config["RULES_DIR"],
            known_thresholds=model_store().named_thresholds(),
        )
    return _rules_page(text=text, name=name, since="30d", check=result, problems=problems)


def admin_rules_backtest() -> str:
    """Replay stored comments against the edited or uploaded file."""
    files, problems = _candidate()
    ((name, text),) = files.items()
    since = request.form.get("since", "30d")
    try:
        parse_duration(since)
    except ValueError as exc:
        problems.append(str(exc))
    result, errors = None, None
    if not problems:
        try:
            ruleset = rules.candidate(
                files=files,
                lists={},
                mode="overlay",
                directory=current_app.config["RULES_DIR"],
                known_thresholds=model_store().named_thresholds(),
            )
            result = rules.backtest_files(
                session=db.session, ruleset=ruleset, since=since, examples=5, limit=5000
            )
        except RulesetInvalid as exc:
            errors = [str(e) for e in exc.errors]
    return _rules_page(
        text=text, name=name, since=since, backtest=result, problems=problems, errors=errors
    )


def _metrics(directory: Path, version: str) -> dict[str, Any]:
    try:
        data = json.loads((directory / version / "metrics.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def admin_models() -> str:
    """Installed model versions with their metrics and PR-curve plots."""
    directory = Path(current_app.config["MODELS_DIR"])
    versions = list(reversed(installed_versions(directory)))
    models = []
    for version in versions:
        plots = sorted(p.name for p in (directory / version).glob("pr-*.png"))
        models.append({"version": version, "metrics": _metrics(directory, version), "plots": plots})
    return render_template(
        "console/admin_models.html", models=models, active=active_version(directory)
    )


def admin_model_plot(version: str, plot: str) -> Response:
    """A PR-curve PNG of an installed model (names checked against what is installed)."""
    directory = Path(current_app.config["MODELS_DIR"])
    if version not in installed_versions(directory) or not _PLOT.match(plot):
        abort(404)
    path = directory / version / plot
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)


def admin_stats() -> str:
    """Queue depth, time to decision, decisions by reason and queue flow over time."""
    return render_template(
        "console/admin_stats.html",
        stats=stats(db.session),
        by_reason=charts.decisions_by_reason(db.session),
        flow=charts.queue_flow(db.session),
        waits=charts.time_to_decision(db.session),
    )
