"""Tokens of a command-mode sentence: words, quoted strings and the joiners "," and ";".

Quoting is decided here, once, so that nothing later can split inside quotes. Every token keeps
its offsets in the original sentence, so a clause's source and an unquoted target are the exact
text the person wrote (spacing, case and accents kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from guiagent.errors import CommandParseError

#: Opening quote -> the marks that close it ("…", '…', “…”, ‘…’, „…“, «…»).
QUOTES: dict[str, str] = {
    "'": "'",
    '"': '"',
    "\u201c": '\u201d"',
    "\u2018": "\u2019'",
    "\u201e": "\u201c\u201d",
    "\u00ab": "\u00bb",
}
#: What may follow a closing quote; anything else means the mark was an apostrophe (Bob's).
_AFTER_CLOSE = frozenset(",;.:!?)")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    quoted: bool = False
    joiner: bool = False

    def is_word(self, *words: str) -> bool:
        """An unquoted word equal (ignoring case) to one of ``words``."""
        return not self.quoted and not self.joiner and self.text.lower() in words

    @property
    def lower(self) -> str:
        return "" if self.quoted or self.joiner else self.text.lower()


def _comma_joins(text: str, i: int) -> bool:
    """A comma joins clauses unless it sits inside a number ("1,000", "3,5")."""
    return not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())


def _closes(text: str, i: int) -> bool:
    return i + 1 == len(text) or text[i + 1].isspace() or text[i + 1] in _AFTER_CLOSE


def _unterminated(text: str, at: int) -> CommandParseError:
    return CommandParseError(
        f"unterminated quote at column {at + 1}:\n  {text}\n  {' ' * at}^",
        hint="close the quote; text that contains ' can be quoted with \" or “…”",
    )


def tokenize(text: str) -> list[Token]:
    """Split a sentence into tokens; raises CommandParseError for an unterminated quote."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == ";" or (c == "," and _comma_joins(text, i)):
            tokens.append(Token(c, i, i + 1, joiner=True))
            i += 1
        elif c in QUOTES:
            closers = QUOTES[c]
            j = i + 1
            while j < n and not (text[j] in closers and _closes(text, j)):
                j += 1
            if j >= n:
                raise _unterminated(text, i)
            tokens.append(Token(text[i + 1 : j], i, j + 1, quoted=True))
            i = j + 1
        else:
            j = i
            while j < n and not (
                text[j].isspace() or text[j] == ";" or (text[j] == "," and _comma_joins(text, j))
            ):
                j += 1
            tokens.append(Token(text[i:j], i, j))
            i = j
    return _end_sentences(tokens)


_SENTENCE_END = ".!?"


def _end_sentences(tokens: list[Token]) -> list[Token]:
    """A sentence's closing "." / "!" / "?" is no part of its last word ("click OK." and
    'click "x".'); such a mark right after a quote, mid-text, joins sentences like ";"."""
    out: list[Token] = []
    for tok in tokens:
        after_quote = bool(out) and out[-1].quoted and out[-1].end == tok.start
        if after_quote and not tok.quoted and tok.text in tuple(_SENTENCE_END):
            out.append(Token(tok.text, tok.start, tok.end, joiner=True))
        else:
            out.append(tok)
    if out and not out[-1].quoted and not out[-1].joiner:
        last = out[-1]
        word = last.text[:-1]
        if last.text[-1:] in tuple(_SENTENCE_END) and (word[-1:].isalnum() or word[-1:] == ")"):
            out[-1] = Token(word, last.start, last.end - 1)
    while out and out[-1].joiner and out[-1].text in tuple(_SENTENCE_END):
        out.pop()
    return out


def span_text(text: str, tokens: list[Token]) -> str:
    """What a run of tokens says: a lone quoted token's content, else the original text."""
    if not tokens:
        return ""
    if len(tokens) == 1 and tokens[0].quoted:
        return tokens[0].text
    return text[tokens[0].start : tokens[-1].end]
