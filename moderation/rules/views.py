"""Admin API for the house rules (SPEC §5): live ruleset, check and backtest a candidate."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from moderation.accounts.auth import ADMIN
from moderation.api import endpoint, load, read_json
from moderation.classifier.service import model_store
from moderation.durations import parse_duration
from moderation.errors import ApiError
from moderation.extensions import db
from moderation.rules import service
from moderation.rules.problems import RulesetInvalid
from moderation.rules.store import rules_store

bp = Blueprint("rules", __name__, url_prefix="/v1/rules")

# Relative paths inside the rules directory, never escaping it.
_NAME = validate.Regexp(r"^(?!/)(?!.*\.\.)[\w./-]+$")
_YAML_NAME = validate.Regexp(r"^(?!/)(?!.*\.\.)[\w./-]+\.yaml$")
_ERRORS = {400: None, 401: None, 403: None, 415: None}
_OBJECT = {"type": "object"}


def _duration(value: str) -> None:
    try:
        parse_duration(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


_MODE_HELP = (
    "overlay (default): the files and lists sent are added to the live rules directory, "
    "replacing files of the same name (send an empty file to leave a live one out); "
    "replace: the files and lists sent are the whole ruleset."
)


class CheckSchema(Schema):
    files = fields.Dict(
        keys=fields.Str(validate=_YAML_NAME),
        values=fields.Str(),
        required=True,
        metadata={"description": "Rule files: {relative path: YAML text}."},
    )
    lists = fields.Dict(
        keys=fields.Str(validate=_NAME),
        values=fields.Str(),
        load_default=dict,
        metadata={"description": "List files the rule files name: {relative path: text}."},
    )
    mode = fields.Str(
        load_default="overlay",
        validate=validate.OneOf(service.MODES),
        metadata={"description": _MODE_HELP},
    )


class BacktestSchema(CheckSchema):
    files = fields.Dict(
        keys=fields.Str(validate=_YAML_NAME),
        values=fields.Str(),
        load_default=None,
        metadata={"description": "Rule files; without them, the rules directory on disk."},
    )
    since = fields.Str(load_default="30d", validate=_duration)
    examples = fields.Int(load_default=5, validate=validate.Range(0, 50))
    limit = fields.Int(load_default=5000, validate=validate.Range(1, 50_000))

    @validates_schema
    def _replace_needs_files(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("mode") == "replace" and not data.get("files"):
            raise ValidationError("replace mode needs the files of the whole ruleset", "files")


check_schema = CheckSchema()
backtest_schema = BacktestSchema()


@bp.get("")
@endpoint(
    summary="The live ruleset, its version, files and rules, and the last refused reload",
    tag="admin",
    auth=ADMIN,
    responses={200: _OBJECT, 401: None, 403: None},
)
def get_rules() -> tuple[Response, int]:
    """What this process is deciding with."""
    return jsonify(service.rules_status(store=rules_store())), 200


@bp.post("/check")
@endpoint(
    summary="Validate a candidate ruleset (every error with file, line and key), run its tests",
    tag="admin",
    auth=ADMIN,
    body=check_schema,
    responses={200: _OBJECT, **_ERRORS},
)
def check_rules() -> tuple[Response, int]:
    """``valid: false`` with ``errors`` when the candidate would be refused."""
    data = load(check_schema, read_json(request))
    result = service.check_files(
        files=data["files"],
        lists=data["lists"],
        mode=data["mode"],
        directory=current_app.config["RULES_DIR"],
        known_thresholds=model_store().named_thresholds(),
    )
    return jsonify(result), 200


@bp.post("/backtest")
@endpoint(
    summary="Replay stored comments against a candidate ruleset: decisions that would change",
    tag="admin",
    auth=ADMIN,
    body=backtest_schema,
    responses={200: _OBJECT, **_ERRORS},
)
def backtest_rules() -> tuple[Response, int]:
    """Without ``files``, the rules directory as it is on disk is the candidate (see ``mode``)."""
    data = load(backtest_schema, read_json(request))
    try:
        ruleset = service.candidate(
            files=data["files"],
            lists=data["lists"],
            mode=data["mode"],
            directory=current_app.config["RULES_DIR"],
            known_thresholds=model_store().named_thresholds(),
        )
        result = service.backtest_files(
            session=db.session,
            ruleset=ruleset,
            since=data["since"],
            examples=data["examples"],
            limit=data["limit"],
        )
    except RulesetInvalid as exc:
        raise ApiError(
            400, "invalid_ruleset", "The candidate ruleset is invalid.", _by_place(exc)
        ) from exc
    return jsonify(result), 200


def _by_place(exc: RulesetInvalid) -> dict[str, list[str]]:
    """Every error under its ``file:line`` (one line may hold several)."""
    places: dict[str, list[str]] = {}
    for e in exc.errors:
        places.setdefault(f"{e.file}:{e.line}", []).append(f"{e.key}: {e.message}")
    return places
