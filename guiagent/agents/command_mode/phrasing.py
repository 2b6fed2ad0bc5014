"""Everyday phrasings the typing form reads: letter case ("in upper case"), label/value pairs
("the username 'u' and the password 'p'") and the field a label names."""

from __future__ import annotations

from collections.abc import Callable

from guiagent.agents.command_mode.lexer import Token, span_text

_CASES = {"upper": str.upper, "uppercase": str.upper, "capitals": str.upper, "caps": str.upper,
          "capital": str.upper, "lower": str.lower, "lowercase": str.lower}  # fmt: skip
_CASE_FILLER = ("in", "all", "case", "letters", "letter", "characters", "the")


def strip_case(args: list[Token]) -> tuple[list[Token], Callable[[str], str] | None]:
    """ "'x' in all upper case letters ..." -> the words without the phrase, and the change."""
    for i, tok in enumerate(args):
        if tok.lower in _CASES and i >= 1 and args[i - 1].is_word(*_CASE_FILLER):
            start = i
            while (
                start > 1 and args[start - 1].is_word(*_CASE_FILLER) and not args[start - 1].quoted
            ):
                start -= 1
            end = i + 1
            while end < len(args) and args[end].is_word("case", "letters", "letter", "characters"):
                end += 1
            return args[:start] + args[end:], _CASES[tok.lower]
    return args, None


def label_pairs(args: list[Token]) -> list[tuple[list[Token], Token]] | None:
    """ "the username 'u' and the password 'p'": (label words, value) pairs, or None."""
    pairs: list[tuple[list[Token], Token]] = []
    label: list[Token] = []
    for tok in args:
        if tok.quoted:
            if not label:
                return None
            pairs.append((label, tok))
            label = []
        elif tok.is_word("and") and not label or tok.joiner:
            continue
        else:
            label.append(tok)
    return pairs if len(pairs) >= 2 and not label else None


def field_of(text: str, label: list[Token]) -> str:
    words = label[1:] if label and label[0].is_word("the", "a", "an", "your", "my") else label
    phrase = span_text(text, words)
    return phrase if words and words[-1].is_word("field", "box", "input") else f"{phrase} field"
