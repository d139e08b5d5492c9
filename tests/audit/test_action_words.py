"""Every action the app writes to the audit trail has plain words (app.audit.actions).

The actions are collected from the code itself: every call of app.audit.services.record (under
whatever name a module imports it) in app/. A literal action must be in ACTION_WORDS; the one
action built at run time, f"referral.{action.value}", is expanded over the workflow's actions.
Any other computed action fails the test until it is taught here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from app.audit.actions import ACTION_WORDS, action_words
from app.referrals.workflow import Action

APP = Path(__file__).resolve().parents[2] / "app"
RECORD = ("app.audit.services", "record")


def _record_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == RECORD[0]:
            names |= {alias.asname or alias.name for alias in node.names if alias.name == RECORD[1]}
    return names


def _expand(arg: ast.expr, where: str) -> list[str]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.JoinedStr):
        text = ast.unparse(arg)
        if text.startswith("f'referral.{") or text.startswith('f"referral.{'):
            return [f"referral.{action.value}" for action in Action]
    raise AssertionError(f"{where}: an audit action computed at run time; teach this test it")


def written_actions() -> dict[str, str]:
    """action -> where it is written (file:line), for every audit call in app/."""
    found: dict[str, str] = {}
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = _record_names(tree)
        if not names:
            continue
        for node in ast.walk(tree):
            called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            if called and node.func.id in names:
                where = f"{path.relative_to(APP.parent)}:{node.lineno}"
                arg = node.args[0] if node.args else node.keywords[0].value
                for action in _expand(arg, where):
                    found.setdefault(action, where)
    return found


def test_the_scan_finds_the_audit_calls() -> None:
    found = written_actions()
    assert len(found) >= 20, found  # a broken scan would find nothing and pass
    assert "client.view" in found and "referral.accept" in found and "plan.release" in found


def test_every_action_written_has_plain_words() -> None:
    missing = {action: where for action, where in written_actions().items()
               if action not in ACTION_WORDS}  # fmt: skip
    assert not missing, f"add plain words to app/audit/actions.py for: {missing}"


def test_no_words_for_actions_nobody_writes() -> None:
    unused = set(ACTION_WORDS) - set(written_actions())
    assert not unused, f"no code writes these audit actions any more: {sorted(unused)}"


def test_words_read_as_sentences_not_codes() -> None:
    for action, words in ACTION_WORDS.items():
        assert words[0].isupper() and "." not in words and "_" not in words, (action, words)
    assert action_words("client.view") == "Viewed a person's record"
    assert action_words("something.old") == "something.old"  # shown as stored, never a 500
