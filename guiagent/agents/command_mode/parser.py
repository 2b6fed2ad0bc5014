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
from guiagent.agents.command_mode.steps import ClickStep, Step
from guiagent.errors import CommandParseError

#: The usage table: printed with every parse error and by the CLI's help.
COMMAND_FORMS: list[str] = [
    "click | tap | double-click | right-click | press on | focus (on/into) | expand  TARGET",
    "X by clicking Y  (\"close the dialog by clicking 'x'\": the means is the step)",
    "hover over | mouse over | point at | move the mouse to  TARGET",
    "type | enter | write | input  TEXT [into TARGET]   (hidden when TARGET is a password/PIN)",
    "enter the username 'u' and the password 'p'  |  type 'x' into both fields",
    "type 'x' in upper case | lower case [into TARGET]",
    "type password 'TEXT' into TARGET",
    "fill TARGET with TEXT  |  set TARGET to TEXT",
    "press | hit | key  KEYS [N times]   (KEYS: enter, Tab, ctrl+s, Alt-F4, ctrl shift t)",
    "select | choose | pick  OPTION [from | in TARGET]  |  select A, B and C",
    "select File>Open>Recent  (a menu path: each level opened by pointing or clicking)",
    "switch between the tabs to find and click X   (tries each tab until X shows)",
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
_add(forms.click, "click", "focus", "focus on", "expand", "collapse", "unfold", "fold")
_add(forms.click, "double click", "double-click", "double click", "doubleclick", "double-tap")
_add(forms.click, "double click", "double tap")
_add(forms.click, "right click", "right-click", "right click", "rightclick")
_add(forms.hover, "hover", "hover", "hover over", "mouse over", "mouseover", "point at")
_add(forms.hover, "hover", "move the mouse", "move the pointer", "move the cursor")
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


#: "... by clicking X": the means names the step (gerund -> verb).
_GERUNDS = {
    "clicking": "click", "tapping": "tap", "pressing": "press", "hitting": "hit",
    "selecting": "select", "choosing": "choose", "typing": "type", "entering": "enter",
    "checking": "check", "focusing": "focus", "expanding": "expand", "opening": "open",
}  # fmt: skip
#: "switch between the tabs to find ...": look through these for the next click's target.
_SEARCH_VERBS = frozenset({"switch", "go", "look", "browse", "search", "cycle", "flip"})
#: Verbs whose argument may be a list: "select A, B and C" ("click A, frob B" stays an error).
_LISTING = frozenset({"select", "check", "uncheck"})

Parsed = tuple[list[Step], str | None, "forms.Form | None"]


def _means(tokens: list[Token]) -> list[Token]:
    """ "close the dialog by clicking 'x'" -> "click 'x'" (what to do is the means)."""
    for i, tok in enumerate(tokens[:-2]):
        nxt = tokens[i + 1]
        if tok.is_word("by") and nxt.lower in _GERUNDS:
            verb = Token(_GERUNDS[nxt.lower], nxt.start, nxt.end)
            return [verb, *tokens[i + 2 :]]
    return tokens


def _search_among(tokens: list[Token]) -> str | None:
    """ "switch between the tabs to find": what to look through ("tabs"), else None."""
    words = [t.lower for t in tokens]
    if len(words) < 4 or words[0] not in _SEARCH_VERBS or words[-1] not in ("find", "locate"):
        return None
    if words[-2] != "to" or words[1] not in ("between", "through", "among", "across", "over"):
        return None
    among = [t.text for t in tokens[2:-2] if not t.is_word("the", "all", "different")]
    return " ".join(among) or None


def _parse_clause(text: str, tokens: list[Token]) -> Parsed:
    source = text[tokens[0].start : tokens[-1].end]
    at = _skip_filler(tokens, 0)
    end = len(tokens)
    if end - at > 1 and tokens[end - 1].is_word("please"):
        end -= 1
    body = _means(tokens[at:end])
    found = _match_verb(body, 0)
    if found is None and body:
        keys = forms.bare_keys(body)
        if keys is not None:
            return [keys.model_copy(update={"source": source})], None, None
    if found is None:
        word = body[0].text if body else source
        raise CommandParseError(f"{word!r} is not a known verb")
    size, verb, form = found
    return _steps(form(text, verb, body[size:]), source), verb, form


def _steps(made: Step | list[Step], source: str) -> list[Step]:
    return [
        s.model_copy(update={"source": source})
        for s in (made if isinstance(made, list) else [made])
    ]


def _continue_list(text: str, clause: list[Token], verb: str, form: forms.Form) -> list[Step]:
    """A verbless clause after a comma carries on the previous verb's list: "select A, B and
    C" (here "and" separates items)."""
    items: list[list[Token]] = [[]]
    for tok in clause:
        if tok.is_word("and"):
            items.append([])
        else:
            items[-1].append(tok)
    steps: list[Step] = []
    for item in items:
        if item:
            steps += _steps(form(text, verb, item), text[item[0].start : item[-1].end])
    return steps


def parse_command(text: str) -> list[Step]:
    """Parse one command sentence (possibly several joined steps) into Steps, in order.

    Raises CommandParseError quoting the clause it could not read and listing COMMAND_FORMS.
    """
    tokens = tokenize(text)
    clauses = split_clauses(tokens)
    if not clauses:
        raise CommandParseError("empty command", hint="try: click Save; type 'hello' into Name")
    steps: list[Step] = []
    last: tuple[str, forms.Form] | None = None
    among: str | None = None
    for clause in clauses:
        source = text[clause[0].start : clause[-1].end]
        search = _search_among(clause[_skip_filler(clause, 0) :])
        if search is not None:
            among = search
            continue
        try:
            made, verb, form = _parse_clause(text, clause)
        except CommandParseError as exc:
            if last is not None and last[0] in _LISTING and _after_comma(tokens, clause[0]):
                steps += _continue_list(text, clause, *last)
                continue
            cut = _follows_and(tokens, clause[0])
            raise _usage_error(text, source, exc.message, cut) from exc
        except ValidationError as exc:  # a value out of range: presses=500, timeout=9999
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise _usage_error(text, source, f"{field}: {first['msg']}", False) from exc
        last = (verb, form) if verb is not None and form is not None else None
        if among is not None and made and isinstance(made[0], ClickStep):
            made[0] = made[0].model_copy(update={"search": among})
            among = None
        steps += made
    if among is not None:
        raise _usage_error(text, text, f"nothing to find by switching between {among}", False)
    return steps


def _after_comma(tokens: list[Token], first: Token) -> bool:
    i = tokens.index(first)
    return i > 0 and tokens[i - 1].joiner and tokens[i - 1].text == ","


def _follows_and(tokens: list[Token], first: Token) -> bool:
    i = tokens.index(first)
    return i > 0 and tokens[i - 1].is_word("and")
