"""Secret redaction in strings, nested trajectory objects and log records."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

from guiagent.actions import Click, Target, TypeText
from guiagent.redact import MASK, Redactor, action_record


def test_every_occurrence_is_hidden_longest_first() -> None:
    r = Redactor(["abc", "abcdef"])
    assert r.redact("x abcdef y abc z abcabc") == f"x {MASK} y {MASK} z {MASK}{MASK}"


def test_empty_secret_is_ignored_and_no_secret_changes_nothing() -> None:
    r = Redactor([""])
    assert not r.active
    assert r.redact("plain") == "plain"


def test_regex_characters_in_secrets_are_literal() -> None:
    r = Redactor(["p4$$.w*rd(1)"])
    assert r.redact("pw=p4$$.w*rd(1);") == f"pw={MASK};"
    assert r.redact("p4$$xw*rd(1)") == "p4$$xw*rd(1)"


def test_escaped_spellings_are_hidden_too() -> None:
    secret = 'it\'s "quoted"\\ and ünïcode'
    r = Redactor([secret])
    assert secret not in r.redact(repr(secret))
    assert MASK in r.redact(repr(secret))
    assert MASK in r.redact(json.dumps({"t": secret}))
    assert MASK in r.redact(json.dumps({"t": secret}, ensure_ascii=False))


def test_nested_objects() -> None:
    r = Redactor()
    r.add("hunter2")
    line: dict[str, Any] = {
        "step": 3,
        "action": {"type": "type_text", "text": "hunter2", "secret": True},
        "notes": ["typed hunter2", ("a", "hunter2!")],
        "hunter2": None,
        "ok": True,
        "score": 0.5,
    }
    out = r.redact_obj(line)
    assert "hunter2" not in json.dumps(out)
    assert out["step"] == 3 and out["ok"] is True and out["score"] == 0.5
    assert out["notes"] == [f"typed {MASK}", ["a", f"{MASK}!"]]
    assert line["action"]["text"] == "hunter2"  # the input is left alone


def test_models_are_dumped_and_secret_type_text_masked_even_unregistered() -> None:
    r = Redactor()
    secret = TypeText(text="s3cr3t", secret=True)
    out = r.redact_obj({"action": secret, "other": Click(target=Target.at(1, 2))})
    assert out["action"]["text"] == MASK
    assert out["other"]["target"]["point"] == {"x": 1, "y": 2}
    assert action_record(secret)["text"] == MASK
    assert action_record(TypeText(text="hi"))["text"] == "hi"


def test_register_action_and_describe() -> None:
    r = Redactor()
    r.register_action(TypeText(text="plain"))
    assert not r.active
    r.register_action(TypeText(text="tok-123", secret=True))
    assert r.redact("tok-123") == MASK
    assert r.describe(TypeText(text="echo tok-123")) == f"type 'echo {MASK}'"
    assert r.describe(TypeText(text="tok-123", secret=True)) == f"type {MASK}"


def _logger(r: Redactor) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(r.log_filter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.redact.child")
    logger.handlers = []
    parent = logging.getLogger("test.redact")
    parent.handlers = [handler]
    parent.setLevel(logging.DEBUG)
    return logger, stream


def test_log_records_are_redacted_message_args_and_exception() -> None:
    r = Redactor(["hunter2"])
    logger, stream = _logger(r)  # the child logs, the parent's handler filters
    logger.info("typing %s into %s", "hunter2", "Password")
    logger.warning("secret hunter2 in the message")
    logger.info("dict arg %(pw)s", {"pw": "hunter2"})
    try:
        raise ValueError("bad password hunter2")
    except ValueError:
        logger.exception("failed with %r", "hunter2")
    text = stream.getvalue()
    assert "hunter2" not in text
    assert f"typing {MASK} into Password" in text
    assert f"dict arg {MASK}" in text
    assert "ValueError" in text and text.count(MASK) >= 5


def test_log_filter_copes_with_a_bad_format_string() -> None:
    r = Redactor(["hunter2"])
    logger, stream = _logger(r)
    logger.error("%d broken", "hunter2")
    assert "hunter2" not in stream.getvalue()


def test_secrets_added_later_apply_to_later_records() -> None:
    r = Redactor()
    logger, stream = _logger(r)
    logger.info("before %s", "late-secret")
    r.add("late-secret")
    logger.info("after %s", "late-secret")
    lines = stream.getvalue().splitlines()
    assert lines == ["INFO before late-secret", f"INFO after {MASK}"]
