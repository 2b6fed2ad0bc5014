"""MiniWoB++ task pages from the installed ``miniwob`` package, opened in the browser driver.

The harness side of an episode: serve the package's ``html`` folder on 127.0.0.1 (flight tasks
need http://), open ``miniwob/TASK.html``, seed the page's random generator, lift the episode
time limit, start the episode and read its instruction. The reward is read only after the
agent has finished, from the tab the episode was opened in. The agent sees nothing of this: it
gets the instruction and the driver's observations; the page's own reward display is hidden.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from guiagent.actions import OpenUrl
from guiagent.errors import DriverError, SetupError, UsageError

if TYPE_CHECKING:
    from guiagent.platforms.browser.driver import BrowserDriver
    from guiagent.platforms.browser.localserver import StaticServer

#: long enough that no episode times out while an agent thinks (ms; setTimeout's limit is 2^31)
EPISODE_MAX_TIME_MS = 1e6

_READY = "() => typeof core !== 'undefined' && !!core.startEpisodeReal && !!document.body"

# Ours, run by the harness: hide the reward display and click trace, seed, lift the time limit,
# start, and keep the START cover shown after the episode from beginning another one.
_START = """(o) => {
  const style = document.createElement('style');
  style.textContent = '#reward-display, #click-canvas, #attention-canvas ' +
    '{ display: none !important; }';
  document.head.appendChild(style);
  Math.seedrandom(o.seed);
  core.setDataMode(o.mode);
  core.EPISODE_MAX_TIME = o.maxTime;
  core.startEpisodeReal();
  core.startEpisodeReal = function () {};
  return true;
}"""

_TASK_READY = "() => typeof WOB_TASK_READY === 'undefined' || WOB_TASK_READY === true"

_RESULT = """() => typeof core === 'undefined' ? null : {
  done: !!WOB_DONE_GLOBAL, raw: Number(WOB_RAW_REWARD_GLOBAL), reward: Number(WOB_REWARD_GLOBAL),
  reason: WOB_REWARD_REASON == null ? null : String(WOB_REWARD_REASON), url: location.href }"""


def miniwob_root() -> Path:
    """The installed ``miniwob`` package's ``html`` folder (found without importing it, which
    would pull in gymnasium)."""
    spec = importlib.util.find_spec("miniwob")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        html = Path(location) / "html"
        if (html / "miniwob").is_dir():
            return html
    raise SetupError(
        "the MiniWoB++ task pages are not installed",
        hint="pip install 'guiagent[eval]' (the miniwob package ships the pages)",
    )


def task_names(root: Path | None = None) -> list[str]:
    """Every MiniWoB++ task id the package ships (``click-button``, ``book-flight``, ...)."""
    folder = (root or miniwob_root()) / "miniwob"
    return sorted(p.stem for p in folder.glob("*.html"))


@dataclass(frozen=True)
class MiniWobResult:
    """What the page recorded: ``raw_reward`` 1 for success, -1 (or 0 unfinished) otherwise;
    ``reward`` is the time-scaled one."""

    task: str
    seed: int
    done: bool
    raw_reward: float
    reward: float
    reason: str | None = None

    @property
    def success(self) -> bool:
        return self.done and self.raw_reward > 0


class MiniWobPages:
    """Serves the MiniWoB++ pages on 127.0.0.1 for as long as it is open."""

    def __init__(self, root: Path | None = None) -> None:
        from guiagent.platforms.browser.localserver import StaticServer

        self.root = root or miniwob_root()
        self.server: StaticServer = StaticServer(self.root)
        self._names = set(task_names(self.root))

    def start(self) -> MiniWobPages:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> MiniWobPages:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, task: str) -> str:
        if task not in self._names:
            from difflib import get_close_matches

            near = get_close_matches(task, sorted(self._names), n=3)
            raise UsageError(
                f"no MiniWoB++ task {task!r}"
                + (f"; did you mean {', '.join(near)}?" if near else "")
            )
        return self.server.url(f"miniwob/{task}.html")


class MiniWobEpisode:
    """One seeded episode of one task in a browser driver's tab."""

    def __init__(
        self,
        driver: BrowserDriver,
        pages: MiniWobPages,
        task: str,
        seed: int,
        *,
        data_mode: str = "train",
        timeout: float = 15.0,
    ) -> None:
        self.driver = driver
        self.pages = pages
        self.task = task
        self.seed = seed
        self.data_mode = data_mode
        self.timeout = timeout
        self.tab: int | None = None
        self.utterance = ""

    def start(self) -> str:
        """Open the task page, seed and start the episode; the instruction it shows."""
        self.driver.execute(OpenUrl(url=self.pages.url(self.task)))
        self.tab = self.driver.current_tab().id
        self._poll(_READY, "the task page to load")
        opts = {"seed": self.seed, "mode": self.data_mode, "maxTime": EPISODE_MAX_TIME_MS}
        self._eval(_START, opts)
        self._poll(_TASK_READY, "the task to be ready")
        self.utterance = str(self._eval("() => core.getUtterance()"))
        return self.utterance

    def result(self) -> MiniWobResult:
        """The episode's outcome as the page recorded it; read after the agent has finished.
        A closed tab or a page that left the task counts as unfinished."""
        try:
            raw = self._eval(_RESULT)
        except DriverError as exc:
            return self._unfinished(f"the task page is gone: {exc.message}")
        if not isinstance(raw, dict) or not urlsplit(str(raw["url"])).path.endswith(
            f"/miniwob/{self.task}.html"
        ):
            return self._unfinished("the tab left the task page")
        return MiniWobResult(
            task=self.task,
            seed=self.seed,
            done=bool(raw["done"]),
            raw_reward=float(raw["raw"]),
            reward=float(raw["reward"]),
            reason=raw.get("reason") or (None if raw["done"] else "the episode did not end"),
        )

    def _unfinished(self, reason: str) -> MiniWobResult:
        return MiniWobResult(self.task, self.seed, False, 0.0, 0.0, reason)

    def _eval(self, script: str, arg: Any = None) -> Any:
        return self.driver.evaluate(script, arg, tab=self.tab)

    def _poll(self, script: str, what: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not self._eval(script):
            if time.monotonic() >= deadline:
                raise DriverError(f"MiniWoB++ {self.task}: timed out waiting for {what}")
            time.sleep(0.05)
