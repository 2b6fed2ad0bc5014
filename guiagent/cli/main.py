"""The ``guiagent`` command line. Each subcommand builds a session and a Runner, nothing more.

Exit codes: 0 done, 1 task failed, 2 usage or input error, 130 cancelled.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from guiagent import __version__
from guiagent.cli import commands
from guiagent.cli.output import Output
from guiagent.errors import GuiAgentError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guiagent",
        description="Turn plain-words commands and scripted tasks into GUI actions.",
    )
    parser.add_argument("--version", action="version", version=f"guiagent {__version__}")
    parser.add_argument("--config", type=Path, help="config TOML (default ~/.config/guiagent)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_run_options(p: argparse.ArgumentParser) -> None:
        add_platform_options(p)
        p.add_argument(
            "--virtual-display",
            action="store_true",
            help="start a private Xvfb + window manager (for machines with no screen)",
        )
        p.add_argument(
            "--yes",
            action="store_true",
            help="approve what the gate would ask about (never what it denies)",
        )
        p.add_argument("--max-steps", type=int, help="stop after this many steps")
        p.add_argument("--out", type=Path, help="folder for the run's trajectory")
        p.add_argument("--screenshot", type=Path, help="save the final screen to this PNG")
        p.add_argument("--json", action="store_true", help="print the result as JSON")

    do = sub.add_parser("do", help='carry out a command now, e.g. "click 7, click +"')
    do.add_argument("sentence", metavar="COMMAND")
    do.add_argument(
        "--agent",
        choices=["auto", "command", "llm"],
        default="auto",
        help="command: the embedded grammar, no LLM; llm: the planner/decision/reflection"
        " agents; auto (default): command when the whole sentence parses, else llm",
    )
    do.add_argument("--base-url", help="OpenAI-compatible endpoint (else OPENAI_BASE_URL)")
    do.add_argument("--model", help="model name at that endpoint")
    add_run_options(do)

    run = sub.add_parser("run", help="run a scripted task (YAML)")
    run.add_argument("script", type=Path)
    run.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE")
    add_run_options(run)

    shot = sub.add_parser("screenshot", help="save the screen to a PNG")
    shot.add_argument("out", type=Path, nargs="?", default=Path("screenshot.png"))
    shot.add_argument("--virtual-display", action="store_true")
    add_platform_options(shot)

    per = sub.add_parser("perceive", help="list the elements found on an image or the screen")
    _add_source(per)
    per.add_argument("--json", action="store_true")
    per.add_argument("--som", type=Path, metavar="OUT.png", help="draw set-of-marks ids")

    gr = sub.add_parser("ground", help="find where a phrase points on an image or the screen")
    _add_source(gr)
    gr.add_argument("query")
    gr.add_argument("--json", action="store_true")
    gr.add_argument("--all", action="store_true", help="list every candidate, best first")

    from guiagent.cli.eval_cmd import add_eval_parser

    add_eval_parser(sub)
    from guiagent.cli.bench_cmd import add_bench_parser

    add_bench_parser(sub)
    sub.add_parser("doctor", help="what is present and missing, with the fix for each")
    sub.add_parser("forms", help="the command forms the embedded grammar understands")
    return parser


def _add_source(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("image", type=Path, nargs="?", help="a screenshot file")
    src.add_argument("--screen", action="store_true", help="capture the current screen")
    add_platform_options(p)


def add_platform_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--platform",
        choices=["linux", "browser"],
        default="linux",
        help="linux: the X desktop (default); browser: a Chromium of guiagent's own",
    )
    p.add_argument(
        "--headed", action="store_true", help="browser: show the window (default: headless)"
    )
    p.add_argument("--url", help="browser: the page to start on")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage
        return 2 if exc.code else 0
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    out = Output(json_mode=bool(getattr(args, "json", False)))
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "eval":
            from guiagent.cli.eval_cmd import cmd_eval

            return cmd_eval(args, out)
        if args.command == "bench":
            from guiagent.cli.bench_cmd import cmd_bench

            return cmd_bench(args, out)
        return commands.dispatch(args, out)
    except GuiAgentError as exc:
        out.error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
