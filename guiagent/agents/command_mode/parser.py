"""The embedded command grammar: imperative sentences to typed Steps, with no language model.

    command  := clause (JOINER clause)*
    JOINER   := "," | ";" | "then" | "and then" | "after that" | "afterwards"
              | "and" when a verb with its arguments follows ("open mousepad and type hi")
    clause   := FILLER* (VERB ARGS | COMBO) ["please"]
    COMBO    := a key combination with a modifier on its own ("ctrl+s"): a key press
    FILLER   := please | now | then | and | also | next | finally | first | just | kindly
              | could/can/would/will you

The lexer settles quoting first, so nothing splits inside '…', "…" or “…”. A clause is read by
the form its verb names (see ``forms``); an unquoted target runs to the next joiner, and words in
it ("the second Delete button") are kept for the grounder. "and" joins only when a verb with
arguments follows, so "click Terms and Conditions" and "click Save and Open" stay one target.
"""

from __future__ import annotations

from pydantic import ValidationError

from guiagent.agents.command_mode import forms
from guiagent.agents.command_mode.lexer import Token, tokenize
from guiagent.agents.command_mode.steps import Step
from guiagent.errors import CommandParseError

#: The usage table: printed with every parse error and by the CLI's help.
COMMAND_FORMS: list[str] = [
    "click | tap | double-click | right-click | press on  TARGET",
    "type | enter | write | input  TEXT [into TARGET]   (hidden when TARGET is a password/PIN)",
    "type password 'TEXT' into TARGET",
    "fill TARGET with TEXT  |  set TARGET to TEXT",
    "press | hit | key  KEYS [N times]   (KEYS: enter, Tab, ctrl+s, Alt-F4, ctrl shift t)",
    "select | choose | pick  OPTION [from | in TARGET]",
    "check | tick | enable  TARGET  |  uncheck | untick | disable | clear the checkbox  TARGET",
    "scroll up|down|left|right [N times | by N] [in TARGET]",
    "drag A to | onto | into B",
    "open | launch | start | run  APP or URL  |  go to | visit | navigate to  URL",
    "wait for TARGET [to appear | to disappear] [up to N seconds]  |  wait N seconds",
    "join steps with: then  ,  ;  and  'and then'  'after that'",
    "quote text with '…', \"…\" or “…”: click ',' / type 'a, b' into Name",
]

#: Verb phrases (lowercase words) -> (canonical verb, form). Longest phrase wins.
_VERBS: dict[tuple[str, ...], tuple[str, forms.Form]] = {}


def _add(form: forms.Form, verb: str, *phrases: str) -> None:
    for phrase in phrases:
        _VERBS[tuple(phrase.split())] = (verb, form)


_add(forms.click, "click", "click", "tap", "left-click", "left click", "press on", "click on")
_add(forms.click, "double click", "double-click", "double click", "doubleclick", "double-tap")
_add(forms.click, "double click", "double tap")
_add(forms.click, "right click", "right-click", "right click", "rightclick")
_add(forms.press, "press", "press", "hit")
_add(forms.press, "key", "key")
_add(forms.type_, "type", "type", "write", "input")
_add(forms.type_, "enter", "enter")
_add(forms.fill, "fill", "fill")
_add(forms.fill, "set", "set")
_add(forms.select, "select", "select", "choose", "pick")
for _verb in ("check", "tick", "enable", "uncheck", "untick", "disable", "clear"):
    _add(forms.check, _verb, _verb)
_add(forms.scroll, "scroll", "scroll")
_add(forms.drag, "drag", "drag", "drag-and-drop")
for _verb in ("open", "launch", "start", "run"):
    _add(forms.open_, _verb, _verb)
for _verb in ("go to", "visit", "navigate to", "browse to"):
    _add(forms.open_, _verb, _verb)
_add(forms.wait, "wait", "wait")

_LONGEST = max(len(p) for p in _VERBS)
#: Verbs that make a whole clause on their own ("type hi and enter").
_BARE_VERBS = frozenset({"enter", "wait"})
_FILLER = frozenset({"please", "now", "then", "and", "also", "next", "finally", "first", "just"})
_FILLER |= {"kindly", "firstly", "afterwards"}
_ASKING = frozenset({"could", "can", "would", "will"})


def _match_verb(tokens: list[Token], at: int) -> tuple[int, str, forms.Form] | None:
    """The longest verb phrase starting at ``at``: (its length, canonical verb, form)."""
    for size in range(min(_LONGEST, len(tokens) - at), 0, -1):
        phrase = tuple(t.lower for t in tokens[at : at + size])
        if phrase in _VERBS:
            verb, form = _VERBS[phrase]
            return size, verb, form
    return None


def _skip_filler(tokens: list[Token], at: int) -> int:
    while at < len(tokens):
        if tokens[at].lower in _FILLER:
            at += 1
        elif tokens[at].lower in _ASKING and at + 1 < len(tokens) and tokens[at + 1].is_word("you"):
            at += 2
        else:
            break
    return at


def _strong_joiner(tokens: list[Token], i: int) -> int:
    """How many tokens at ``i`` form a joiner that always splits (0 when none)."""
    tok = tokens[i]
    if tok.joiner or tok.is_word("then", "afterwards"):
        return 1
    if tok.is_word("after") and i + 1 < len(tokens) and tokens[i + 1].is_word("that"):
        return 2
    return 0


def _and_joins(tokens: list[Token], i: int) -> bool:
    """ "and" joins when a joiner or a verb with its arguments follows it."""
    if i + 1 < len(tokens) and _strong_joiner(tokens, i + 1):
        return True
    at = _skip_filler(tokens, i + 1)
    found = _match_verb(tokens, at)
    if found is None:
        return False
    size, verb, _ = found
    after = at + size
    has_args = after < len(tokens) and not _strong_joiner(tokens, after)
    return has_args or verb in _BARE_VERBS


def split_clauses(tokens: list[Token]) -> list[list[Token]]:
    """Cut the token stream at joiners; clauses of nothing but filler ("..., please") vanish."""
    clauses: list[list[Token]] = [[]]
    i = 0
    while i < len(tokens):
        size = _strong_joiner(tokens, i) or (
            1 if tokens[i].is_word("and") and _and_joins(tokens, i) else 0
        )
        if size:
            clauses.append([])
            i += size
        else:
            clauses[-1].append(tokens[i])
            i += 1
    return [c for c in clauses if _skip_filler(c, 0) < len(c)]


def _usage_error(text: str, clause: str, reason: str, split_on_and: bool) -> CommandParseError:
    lines = [f'cannot understand "{clause}": {reason}', "understood forms:"]
    lines += [f"  {form}" for form in COMMAND_FORMS]
    hint = None
    if split_on_and:
        hint = "a step was cut at \"and\": quote a target that contains it (click 'Save and Open')"
    elif clause != text.strip():
        hint = f"in \"{text.strip()}\"; quote text that holds a joiner: type 'hello, world'"
    return CommandParseError("\n".join(lines), hint=hint)


def _parse_clause(text: str, tokens: list[Token]) -> Step:
    source = text[tokens[0].start : tokens[-1].end]
    at = _skip_filler(tokens, 0)
    end = len(tokens)
    if end - at > 1 and tokens[end - 1].is_word("please"):
        end -= 1
    found = _match_verb(tokens[:end], at)
    if found is None and at < end:
        keys = forms.bare_keys(tokens[at:end])
        if keys is not None:
            return keys.model_copy(update={"source": source})
    if found is None:
        word = tokens[at].text if at < end else source
        raise CommandParseError(f"{word!r} is not a known verb")
    size, verb, form = found
    step = form(text, verb, tokens[at + size : end])
    return step.model_copy(update={"source": source})


def parse_command(text: str) -> list[Step]:
    """Parse one command sentence (possibly several joined steps) into Steps, in order.

    Raises CommandParseError quoting the clause it could not read and listing COMMAND_FORMS.
    """
    tokens = tokenize(text)
    clauses = split_clauses(tokens)
    if not clauses:
        raise CommandParseError("empty command", hint="try: click Save; type 'hello' into Name")
    steps: list[Step] = []
    for clause in clauses:
        source = text[clause[0].start : clause[-1].end]
        try:
            steps.append(_parse_clause(text, clause))
        except CommandParseError as exc:
            cut = _follows_and(tokens, clause[0])
            raise _usage_error(text, source, exc.message, cut) from exc
        except ValidationError as exc:  # a value out of range: presses=500, timeout=9999
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise _usage_error(text, source, f"{field}: {first['msg']}", False) from exc
    return steps


def _follows_and(tokens: list[Token], first: Token) -> bool:
    i = tokens.index(first)
    return i > 0 and tokens[i - 1].is_word("and")
