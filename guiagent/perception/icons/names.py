"""What a person calls an icon: its file or glyph name in plain words ("edit-delete-symbolic"
-> "delete"), with the everyday words for the same thing ("trash", "bin") as alternatives."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Words that say which family an icon belongs to, not what it shows ("edit-delete" -> delete).
_GENERIC = frozenset(
    {
        "edit",
        "view",
        "format",
        "text",
        "go",
        "media",
        "object",
        "system",
        "window",
        "document",
        "insert",
        "mail",
        "pan",
        "list",
        "action",
        "emblem",
        "tools",
        "applications",
        "application",  # "application-exit" is exit
        "emote",
        "content",
        "directions",  # Material's "directions_walk", "directions_car": the way of travel
    }
)
# Family words that name a thing before what happens to it ("folder-new" is a new folder).
_NOUN_FIRST = frozenset(
    {"view", "document", "folder", "list", "window", "tab", "bookmark", "mail", "user", "contact"}
)
# Abbreviations in icon file / glyph names.
_EXPAND = {
    "o": "outline",
    "h": "horizontal",
    "v": "vertical",
    "horiz": "horizontal",
    "vert": "vertical",
    "alt": "",
    "symbolic": "",
    "rtl": "",
    "ltr": "",
    "border": "outline",
    "outlined": "outline",
    "local": "",  # Material's "local_shipping", "local_offer": places, not what they show
}
# Whole phrases of the freedesktop naming spec that people say differently.
_PHRASES = {
    "playback start": "play",
    "playback pause": "pause",
    "playback stop": "stop",
    "skip forward": "next",
    "skip backward": "previous",
    "seek forward": "fast forward",
    "seek backward": "rewind",
    "non starred": "star outline",
    "open menu": "menu",
    "fullscreen": "full screen",
    "card giftcard": "gift card",
    "th": "grid",
    "th list": "list view",
    "th large": "large grid",
    "files outline": "copy",
    "markunread": "mark unread",
    "times": "close",  # Font Awesome's name for its X
    "thumb tack": "pin",
    "push pin": "pin",
    "strikethrough s": "strikethrough",
    "notifications none": "notifications outline",  # Material's bell drawn in outline
    "turned in not": "bookmark outline",  # Material's names for its bookmark ribbon
    "turned in": "bookmark",
}
# Everyday words for the same icon; each group is one meaning, the first word its usual name.
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("remove", "minus", "decrease", "decrement", "less", "fewer"),
    ("delete", "trash", "bin", "discard", "trash can", "garbage", "wastebasket", "kill"),
    ("cut", "scissors"),
    ("add", "plus", "increase", "increment"),
    ("new", "create"),
    ("close", "x", "dismiss", "clear", "cancel", "cross"),
    ("check", "done", "ok", "confirm", "accept", "apply", "tick", "checkmark", "check mark"),
    ("more", "more options", "options", "menu", "overflow", "ellipsis", "…"),
    ("search", "find", "magnifier", "magnifying glass"),
    ("star", "starred", "favorite", "favourite"),
    ("heart", "like", "love", "favorite", "favourite", "wishlist", "saved"),
    ("bookmark", "save for later", "saved", "ribbon"),
    ("flag", "report"),
    ("reply", "respond"),
    ("share", "forward"),
    ("share", "connected dots", "three connected dots"),
    ("send", "paper plane", "submit"),
    ("refresh", "reload", "circular arrow", "sync"),
    ("refresh", "circular arrows", "circling arrows", "autorenew"),
    ("settings", "preferences", "gear", "cog"),
    ("sliders", "tune", "adjust", "filters"),
    ("wrench", "tools", "build"),
    ("home", "house"),
    ("ordered", "numbered"),
    ("bullet", "bulleted"),
    ("list", "item", "row", "entry"),
    ("list", "queue", "up next"),
    ("list", "table of contents", "chapters"),
    (
        "grid",
        "grid view",
        "tiles",
        "four squares",
        "square cut into four",
        "nine squares",
        "nine small squares",
    ),
    ("apps", "applications", "app launcher", "grid of dots", "nine dots", "waffle"),
    ("go", "move"),
    ("reveal", "show", "show password", "visibility", "eye", "view", "preview", "hide"),
    ("conceal", "hide", "hide password"),
    ("edit", "pencil", "modify", "rename", "compose", "write"),
    ("copy", "duplicate", "files", "two sheets", "two pages", "overlapping squares", "two squares"),
    ("paste", "clipboard"),
    ("repeat", "redo", "loop", "clockwise arrow", "again", "circular arrows"),
    ("redo", "clockwise arrow", "curved arrow right", "arrow curving right"),
    ("undo", "revert", "anticlockwise arrow", "counterclockwise arrow", "replay", "rewind"),
    ("undo", "curved arrow left", "arrow curving left", "arrow curling left"),
    ("print", "printer"),
    ("user", "person", "account", "profile", "avatar", "silhouette"),
    ("mail", "email", "envelope", "message"),
    ("mark unread", "mark as unread", "unread"),
    ("comment", "chat", "message", "speech bubble", "conversation"),
    ("attach", "attachment", "paperclip", "paper clip"),
    ("lock", "locked", "padlock"),
    ("volume off", "mute", "muted", "sound off"),
    ("microphone off", "mic off", "mute microphone", "unmute"),
    ("extension", "puzzle piece", "plugin", "add-on"),
    ("flash", "bolt", "lightning"),
    ("pin", "thumbtack", "pushpin"),
    ("key", "password"),
    ("help", "question", "question mark"),
    ("info", "information", "details", "about"),
    ("warning", "alert", "exclamation mark", "exclamation point"),
    ("notifications", "bell", "alerts"),
    ("full screen", "fullscreen", "maximize", "expand", "four arrows", "four corners"),
    ("volume", "sound", "speaker", "audio"),
    ("microphone", "mic", "voice"),
    ("link", "chain", "hyperlink", "linked rings", "two linked rings", "chain links"),
    (
        "external link",
        "open in new",
        "new tab",
        "new window",
        "pop out",
        "launch",
        "arrow coming out",
        "box with an arrow",
    ),
    ("filter", "funnel"),
    ("sort", "order", "up and down arrows"),
    ("quote", "quotation mark", "quotation marks", "quotes"),
    ("inbox", "tray", "inbox tray"),
    ("tag", "label", "offer", "promo", "coupon", "discount"),
    ("folder", "directory", "move to"),
    ("document", "file"),
    ("image", "picture", "photo", "gallery"),
    ("camera", "photo camera", "take photo"),
    ("video camera", "videocam", "video", "video call"),
    ("clock", "time", "schedule", "history", "recent", "snooze"),
    ("calendar", "date", "event", "date range", "today"),
    ("phone", "call", "telephone"),
    ("thumbs up", "thumb up", "like", "upvote"),
    ("thumbs down", "thumb down", "dislike", "downvote"),
    ("retweet", "repost"),
    ("cart", "shopping cart", "basket", "shopping basket", "shopping bag", "bag"),
    ("truck", "delivery", "shipping"),
    ("credit card", "card", "payment", "pay"),
    ("gift", "present", "gift card"),
    ("sign out", "log out", "logout", "exit", "quit"),
    ("sign in", "log in", "login"),
    ("power", "power off", "shut down", "shutdown", "turn off"),
    ("globe", "language", "world", "website", "translate", "public"),
    ("map marker", "location", "place", "pin", "address", "location on"),
    ("code", "source", "embed", "html"),
    ("bug", "bug report", "debug"),
    ("lightbulb", "idea", "tip", "hint"),
    ("dashboard", "overview"),
    ("ellipsis", "dots", "more", "three dots", "kebab"),
    ("menu", "hamburger", "main menu", "three lines", "bars"),
    ("back", "back arrow", "left arrow", "previous"),
    ("forward", "forward arrow", "right arrow", "next"),
    ("up", "up arrow", "parent", "raise"),
    ("down", "down arrow", "lower"),
    ("chevron down", "expand more", "show more", "drop down", "dropdown", "angle down"),
    ("chevron up", "expand less", "collapse", "show less", "angle up"),
    ("compress", "collapse", "collapse all", "shrink"),
    ("arrow right", "arrow forward", "right arrow", "next"),
    ("arrow left", "arrow back", "back", "previous"),
    ("save", "floppy", "disk"),
    ("airplane", "aeroplane", "plane", "flight", "airport"),
    ("walk", "walking", "pedestrian", "on foot"),
    ("transit", "public transport", "train", "subway", "metro", "tram"),
    ("bus", "public transport"),
    ("import export", "swap", "swap vertical"),
    ("gps fixed", "my location", "target", "crosshair", "locate me", "current location"),
    ("columns", "split", "split view"),
    ("code fork", "fork", "branch", "git branch", "source control"),
    ("users", "people", "contacts", "customers", "team", "group", "members"),
    ("comments", "speech bubbles", "conversations", "discussion"),
    ("chevron left", "back", "previous", "navigate before", "angle left"),
    ("chevron right", "next", "forward", "navigate next", "angle right"),
    ("volume", "mute"),
    ("star", "rate", "rating"),
    ("comment", "reply"),
    ("tv", "television", "cast", "play on tv"),
    ("playlist add", "add to queue", "queue", "add to playlist"),
    ("smile", "smiley", "smiley face", "emoji", "emoticon"),
    ("receipt", "invoice", "bill"),
    ("download", "arrow down to line", "file download", "save offline"),
    ("save as", "save a copy", "save copy"),
    ("zoom original", "original size", "actual size", "real size", "normal size", "100%"),
    ("zoom fit best", "fit", "best fit", "fit to window", "fit to screen"),
    ("upload", "arrow up from line", "file upload"),
    # text formatting and spreadsheet toolbars
    ("italic", "italics", "slanted", "slanted i"),
    ("strikethrough", "strike through", "strike", "crossed out"),
    ("color text", "text color", "text colour", "font color", "font colour"),
    ("color fill", "fill color", "fill colour", "paint bucket", "bucket", "background colour"),
    ("outline all", "borders", "border", "all borders"),
    ("call merge", "merge", "merge cells"),
    ("functions", "function", "sigma", "sum", "formula"),
    ("dehaze", "menu", "three lines", "hamburger"),
    ("align justify", "justify", "three lines"),
    ("arrow drop down", "triangle", "small triangle", "caret"),
    ("explore", "compass", "discover"),
    # media players
    ("cc", "closed caption", "captions", "closed captions", "subtitles"),
    ("picture in picture", "miniplayer", "mini player", "pip"),
    ("skip next", "skip", "next track", "next song"),
    ("next", "skip", "next track"),
    ("play", "start", "watch"),
    # faces, states
    ("sentiment very dissatisfied", "very sad", "sad face", "sad", "unhappy"),
    ("sentiment dissatisfied", "sad face", "sad", "unhappy"),
    ("sentiment satisfied", "happy face", "happy", "smile"),
    ("meh", "neutral face", "straight face", "neutral"),
    ("sentiment neutral", "neutral face", "straight face", "neutral", "meh"),
    ("ban", "block", "prohibited", "forbidden", "no entry", "suspend"),
    ("fiber manual record", "record", "dot"),
    ("timer", "stopwatch", "countdown"),
    ("last", "last page", "double arrow right", "double chevron right"),
    ("first", "first page", "double arrow left", "double chevron left"),
)


#: Symbols drawn as text where an icon would be ("»" on a pager, "☰" for a menu): the icon
#: name each stands for, named and given alternatives like any icon's (``symbol_name``).
_SYMBOLS = {
    "»": "last", "«": "first", "›": "chevron right", "‹": "chevron left",
    "→": "arrow right", "←": "arrow left", "↑": "arrow up", "↓": "arrow down",
    "⇧": "arrow up", "⬆": "arrow up", "⬇": "arrow down", "↻": "refresh", "⟳": "refresh",
    "↺": "undo", "⟲": "undo", "×": "close", "✕": "close", "✖": "close", "✗": "close",
    "＋": "add", "+": "add", "−": "remove", "–": "remove", "-": "remove", "☰": "menu", "≡": "menu",
    "⋮": "more vertical", "⋯": "more horizontal", "…": "more", "★": "star", "☆": "star outline",
    "♥": "heart", "♡": "heart outline", "❤": "heart", "✓": "check", "✔": "check",
    "⚙": "settings", "🔍": "search", "🔎": "search", "✎": "edit", "✏": "edit", "🖉": "edit",
    "🗑": "delete", "⤢": "full screen", "⛶": "full screen", "🔔": "notifications",
    "🖨": "print", "⎙": "print", "⏱": "timer", "⏲": "timer", "▶": "play", "⏵": "play",
    "⏸": "pause", "⏹": "stop", "⏭": "skip next", "⏮": "skip previous", "🔗": "link",
    "📎": "attach", "🛒": "cart", "⬇️": "arrow down", "🔖": "bookmark", "⤴": "share",
    "🔊": "volume", "🔇": "volume off", "ⓘ": "info", "ℹ": "info", "❓": "help", "?": "help",
    "↶": "undo", "↷": "redo", "⎌": "undo", "☑": "checklist", "✅": "checklist",
    "❝": "quote", "❞": "quote", "“": "quote", "⟨⟩": "code", "</>": "code", "⊞": "table",
    "⎘": "copy", "✐": "edit", "✍": "edit", "⌂": "home", "🏠": "home", "✉": "mail",
    "📧": "mail", "☎": "phone", "📞": "phone", "⚑": "flag", "🚩": "flag", "🔒": "lock",
    "🔓": "lock open", "📌": "pin", "📍": "location", "📷": "camera", "🖼": "image",
    "📁": "folder", "📂": "folder open", "📄": "file", "📅": "calendar", "📆": "calendar",
    "⏰": "alarm", "🕒": "schedule", "⌫": "backspace", "⏎": "enter", "↵": "enter",
    "⇅": "sort", "⇄": "swap horizontal", "⇆": "swap horizontal", "⤓": "download",
    "⤒": "upload", "⬚": "select", "✂": "cut", "📋": "clipboard", "💬": "comment",
    "🗨": "comment", "👍": "thumb up", "👎": "thumb down", "☀": "sun", "☾": "moon",
    "🌙": "moon", "⚠": "warning", "⛔": "block", "🚫": "block", "♫": "music", "♪": "music",
    "🎤": "mic", "🔈": "volume", "🔉": "volume", "⏏": "eject", "◷": "schedule", "◴": "schedule",
    "🕐": "schedule",
}  # fmt: skip


def ui_symbols() -> dict[str, str]:
    """Symbols pages draw as icons, with the icon name each stands for (not as said)."""
    return dict(_SYMBOLS)


def symbol_name(text: str) -> str:
    """The icon name a lone symbol read as text stands for, or "" ("»" -> "last (...)")."""
    key = _SYMBOLS.get(text.strip())
    return human_name(key) if key else ""


def _synonym_index(groups: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each word -> the other words of every group it is in."""
    index: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for word in group:
            index[word] = index.get(word, ()) + tuple(w for w in group if w != word)
    return index


#: One way only: a map's "+" zooms in, but a magnifier is no plus sign; a bin or a cross
#: may remove something, but a minus sign is no bin.
_ALSO_SAID = {
    "delete": ("remove",),
    "close": ("remove",),
    "add": ("zoom in",),
    "plus": ("zoom in",),
    "remove": ("zoom out",),
    "minus": ("zoom out",),
    "open": ("folder",),  # the freedesktop "document-open" is drawn as a folder
    "revert": ("reload",),  # GTK's "document-revert" reloads the file from disk
}
_SYN = {
    word: _synonym_index(_SYNONYMS).get(word, ()) + _ALSO_SAID.get(word, ())
    for word in {*_synonym_index(_SYNONYMS), *_ALSO_SAID}
}
MAX_ALTS = 10


def _words(key: str) -> list[str]:
    """``edit-delete-symbolic`` / ``star_border`` / ``ellipsis-h`` -> its plain words."""
    key = re.sub(r"(\.symbolic)?$", "", key)
    words = [_EXPAND.get(w, w) for w in re.split(r"[-_\s.]+", key.lower()) if w]
    return [w for w in words if w]


_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")


def _phrased(words: list[str]) -> str:
    return _PHRASE_RE.sub(lambda m: _PHRASES[m.group(1)], " ".join(words))


@functools.lru_cache(maxsize=4096)
def human_name(key: str) -> str:
    """What a person calls the icon ``key``: its core words, then alternatives in brackets,
    e.g. ``folder-new`` -> ``new folder (folder new, create folder, ...)``."""
    words = _words(key)
    if not words:
        return ""
    core = [w for w in words if w not in _GENERIC] or words[-1:]
    full = words[1:] if len(words) > 2 and words[0] in _GENERIC else words
    variants = [_phrased(core)]
    if len(full) == 2 and full[0] in _NOUN_FIRST:  # "document new" -> "new document"
        variants.insert(0 if len(core) == 2 else 1, _phrased(full[::-1]))
    if full != core and (full[0] not in _GENERIC or full[0] == "go"):
        variants.append(_phrased(full))  # "go up": "move up" below
    for v in list(variants):
        variants += _substituted(v)
    unique = list(dict.fromkeys(v for v in variants if v))
    alts = unique[1 : MAX_ALTS + 1]
    return f"{unique[0]} ({', '.join(alts)})" if alts else unique[0]


def _substituted(phrase: str) -> list[str]:
    """The phrase with one of its words (or two-word parts) said another way; a two-word
    part with words of its own ("expand more") is not also said word by word."""
    words = phrase.split()
    # a longer name with words of its own ("arrow down to line" is "download") first
    out = list(_SYN.get(phrase, ())) if len(words) > 2 else []
    covered: set[int] = set()  # words of a two-word part said another way are not split up
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            part = " ".join(words[i : i + size])
            if size == 1 and i in covered:
                continue
            if size == 2 and part in _SYN:
                covered.update((i, i + 1))
            for other in _SYN.get(part, ()):
                said = [*words[:i], *other.split(), *words[i + size :]]
                if all(a != b for a, b in zip(said, said[1:], strict=False)):  # no "can can"
                    out.append(" ".join(said))
    return out
