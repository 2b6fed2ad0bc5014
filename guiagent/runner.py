"""The one loop: observe -> (perceive) -> decide -> gate -> execute -> record, until done.

Every surface (CLI, daemon, tray, scripted tasks, evaluation) builds a ``Runner``; none of them
re-implements a piece of this loop, and no action reaches a driver without passing the gate.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from guiagent.actions import (
    Action,
    AskUser,
    Done,
    Fail,
    Target,
    TypeText,
    Wait,
    describe,
)
from guiagent.agents.base import Agent, AgentContext, StepRecord
from guiagent.config import RunnerConfig
from guiagent.errors import DriverError, GateDenied, GuiAgentError, RunCancelled, StepFailed
from guiagent.gate.gate import Gate
from guiagent.gate.killswitch import KillSwitch
from guiagent.gate.policy import GateRequest
from guiagent.observation import ActionResult, Element, Observation, RunState, Screen
from guiagent.platforms.base import Driver, PointerProbe
from guiagent.redact import Redactor
from guiagent.trajectory import TrajectoryWriter

log = logging.getLogger(__name__)

Perceive = Callable[[Observation], Screen]
EventHook = Callable[[str, dict[str, Any]], None]


@runtime_checkable
class QuestionChannel(Protocol):
    """Where an agent's ``ask_user`` question is answered: the same surfaces (terminal, daemon
    API, tray) that answer confirmations. None (or no answer in time) ends the run."""

    def answer_question(self, question: str, timeout: float) -> str | None: ...


@dataclass
class RunResult:
    run_id: str
    state: RunState
    steps: int
    message: str = ""
    error: GuiAgentError | None = None
    trajectory: Path | None = None
    final_observation: Observation | None = field(default=None, repr=False)

    @property
    def exit_code(self) -> int:
        if self.state is RunState.DONE:
            return 0
        if self.error is not None:
            return self.error.exit_code
        return 130 if self.state is RunState.CANCELLED else 1


class Runner:
    def __init__(
        self,
        driver: Driver,
        perceive: Perceive,
        agent: Agent,
        gate: Gate,
        *,
        config: RunnerConfig | None = None,
        kill_switch: KillSwitch | None = None,
        redactor: Redactor | None = None,
        trajectory_root: Path | None = None,
        on_event: EventHook | None = None,
        run_id: str | None = None,
        questions: QuestionChannel | None = None,
    ) -> None:
        self.driver = driver
        self.perceive = perceive
        self.agent = agent
        self.gate = gate
        self.config = config or RunnerConfig()
        self.kill_switch = kill_switch or KillSwitch()
        self.redactor = redactor or Redactor()
        self.run_id = run_id or time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        self.trajectory_dir = trajectory_root / self.run_id if trajectory_root else None
        self.on_event = on_event
        self.state = RunState.RUNNING
        channel = getattr(gate, "channel", None)
        self.questions = questions or (channel if isinstance(channel, QuestionChannel) else None)

    # -- public --------------------------------------------------------------------------
    def run(self, task: str) -> RunResult:
        writer = (
            TrajectoryWriter(self.trajectory_dir, self.redactor) if self.trajectory_dir else None
        )
        history: list[StepRecord] = []
        step = 0
        obs: Observation | None = None
        self._set_state(RunState.RUNNING)
        try:
            self.agent.start(task)
            if writer:
                writer.record({"event": "start", "run_id": self.run_id, "task": task})
            while True:
                self.kill_switch.check()
                if step >= self.config.max_steps:
                    raise StepFailed(f"gave up after {self.config.max_steps} steps (max_steps)")
                step += 1
                t0 = time.perf_counter()
                obs = self.driver.observe()
                t_observe = time.perf_counter()
                ctx = AgentContext(task, step, obs, self.perceive, history)
                action = self.agent.decide(ctx)
                t_decide = time.perf_counter()
                if isinstance(action, TypeText) and action.secret:
                    self.redactor.add(action.text)
                timings = {
                    "observe": _ms(t0, t_observe),
                    "perceive_decide": _ms(t_observe, t_decide),
                }
                line: dict[str, Any] = {
                    "step": step,
                    "observation": obs.summary(),
                    "screen": _screen_summary(ctx.perceived),
                    "action": action.model_dump(mode="json"),
                    "description": describe(action),
                }
                if writer:
                    line["screenshot"] = writer.screenshot(step, obs.image)
                if isinstance(action, AskUser) and self.questions is not None:
                    answer = self._ask(action)
                    if answer is not None:
                        line["answer"] = answer
                        line["timings_ms"] = timings
                        if writer:
                            writer.record(line)
                        result = ActionResult(detail=answer)
                        history.append(StepRecord(action, result, obs, ctx.perceived))
                        continue
                if isinstance(action, (Done, Fail, AskUser)):
                    line["timings_ms"] = timings
                    if writer:
                        writer.record(line)
                    return self._finish(action, step, obs, writer)
                resolved, element = self._resolve(action, ctx)
                t_gate = time.perf_counter()
                outcome = self._gate(resolved, element, obs)
                line["gate"] = outcome.as_record()
                timings["gate"] = _ms(t_gate, time.perf_counter())
                if not outcome.allowed:
                    line["timings_ms"] = timings
                    if writer:
                        writer.record(line)
                    raise GateDenied(f"the gate refused: {describe(resolved)} — {outcome.reason}")
                self.kill_switch.check()
                self._check_corner(obs)
                t_exec = time.perf_counter()
                result = self._execute(resolved)
                timings["execute"] = _ms(t_exec, time.perf_counter())
                line["result"] = result.model_dump(mode="json")
                line["timings_ms"] = timings
                if writer:
                    writer.record(line)
                self._emit("step", {"step": step, "action": describe(resolved), "result": result})
                history.append(StepRecord(resolved, result, obs, ctx.perceived))
        except RunCancelled as exc:
            return self._stop(RunState.CANCELLED, step, exc, obs, writer)
        except GuiAgentError as exc:
            return self._stop(RunState.FAILED, step, exc, obs, writer)
        finally:
            if writer:
                writer.close()

    # -- internals -----------------------------------------------------------------------
    def _resolve(self, action: Action, ctx: AgentContext) -> tuple[Action, Element | None]:
        """Element ids -> points on this frame; the element the action touches, for the gate."""
        element: Element | None = None
        updates: dict[str, Target] = {}
        for name in ("target", "start", "end"):
            target = getattr(action, name, None)
            if not isinstance(target, Target):
                continue
            if target.element is not None:
                el = ctx.screen.by_id(target.element)
                if el is None:
                    raise StepFailed(f"element #{target.element} is not on the current screen")
                point = el.box.center
                updates[name] = Target.at(point.x, point.y)
            else:
                assert target.point is not None
                el = _element_at(ctx.screen, target.point.x, target.point.y)
                if not (0 <= target.point.x < ctx.observation.width) or not (
                    0 <= target.point.y < ctx.observation.height
                ):
                    raise StepFailed(f"point {target.describe()} is outside the screen")
            element = element or el
        if not updates:
            return action, element
        return action.model_copy(update=updates), element

    def _gate(self, action: Action, element: Element | None, obs: Observation) -> Any:
        window = obs.active_window
        request = GateRequest(
            action=action,
            element=element,
            app=window.app if window else None,
            window_title=window.title if window else None,
            url=obs.url,
        )
        self._set_state(RunState.AWAITING_CONFIRMATION)
        try:
            return self.gate.check(request, run_id=self.run_id)
        finally:
            self._set_state(RunState.RUNNING)

    def _ask(self, action: AskUser) -> str | None:
        """The person's answer, or None when nobody answered in time."""
        assert self.questions is not None
        self._set_state(RunState.AWAITING_CONFIRMATION)
        self._emit("question", {"question": action.question})
        try:
            answer = self.questions.answer_question(action.question, self.gate.timeout)
        except Exception:  # a broken channel is no answer, never a crash of the loop
            log.exception("question channel failed")
            answer = None
        finally:
            self._set_state(RunState.RUNNING)
        return answer.strip() if answer and answer.strip() else None

    def _execute(self, action: Action) -> ActionResult:
        if isinstance(action, Wait):
            time.sleep(action.seconds)
            return ActionResult(detail=f"waited {action.seconds:g}s")
        try:
            result = self.driver.execute(action)
        except GuiAgentError:
            raise
        except Exception as exc:  # a backend bug must not kill the daemon: report it as a step
            raise DriverError(
                f"{type(exc).__name__} while executing {describe(action)}: {exc}"
            ) from exc
        if self.config.settle_seconds:
            time.sleep(self.config.settle_seconds)
        return result

    def _check_corner(self, obs: Observation) -> None:
        """The pointer pushed into a screen corner by a person stops the run."""
        if not self.config.kill_corner or not isinstance(self.driver, PointerProbe):
            return
        self.kill_switch.check_corner(self.driver.pointer_position(), obs.width, obs.height)
        self.kill_switch.check()

    def _finish(
        self, action: Action, step: int, obs: Observation, writer: TrajectoryWriter | None
    ) -> RunResult:
        if isinstance(action, Done):
            state, message, error = RunState.DONE, action.message, None
        elif isinstance(action, Fail):
            state, message, error = RunState.FAILED, action.reason, StepFailed(action.reason)
        else:
            assert isinstance(action, AskUser)
            message = f"the agent needs an answer: {action.question}"
            state, error = RunState.FAILED, StepFailed(message)
        self._set_state(state)
        if writer:
            end = {"event": "end", "state": state.value, "message": message}
            writer.record(end | self._agent_stats())
        return RunResult(
            self.run_id, state, step, message, error, self.trajectory_dir, final_observation=obs
        )

    def _stop(
        self,
        state: RunState,
        step: int,
        exc: GuiAgentError,
        obs: Observation | None,
        writer: TrajectoryWriter | None,
    ) -> RunResult:
        self._set_state(state)
        message = self.redactor.redact(str(exc))
        log.info("run %s %s: %s", self.run_id, state.value, message)
        if writer:
            writer.record(
                {
                    "event": "end",
                    "state": state.value,
                    "message": message,
                    "error": type(exc).__name__,
                }
                | self._agent_stats()
            )
        return RunResult(self.run_id, state, step, message, exc, self.trajectory_dir, obs)

    def _agent_stats(self) -> dict[str, Any]:
        """Model calls, tokens and cost when the agent counts them (the LLM agents do)."""
        stats = getattr(self.agent, "run_stats", None)
        return {"agent": stats()} if callable(stats) else {}

    def _set_state(self, state: RunState) -> None:
        if state is not self.state:
            self.state = state
            self._emit("state", {"state": state.value})

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(kind, data)


def _element_at(screen: Screen, x: int, y: int) -> Element | None:
    """The smallest element under a point, so a point click on "Delete" is gated as one."""
    hits = [el for el in screen.elements if el.box.contains(x, y)]
    return min(hits, key=lambda el: el.box.area) if hits else None


def _screen_summary(screen: Screen | None) -> dict[str, Any] | None:
    if screen is None:
        return None
    return {"elements": len(screen.elements), "timings_ms": screen.timings_ms}


def _ms(a: float, b: float) -> float:
    return round((b - a) * 1000, 1)
