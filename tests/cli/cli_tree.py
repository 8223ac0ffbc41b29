"""The ``cashier`` argparse tree, walked (for the tests of tests/cli; a uniquely named helper
module, as tests never import each other or a conftest)."""

from __future__ import annotations

import argparse

from cashier.cli import build_parser


def command_tree() -> list[tuple[tuple[str, ...], argparse.ArgumentParser, str]]:
    """(command words, parser, help shown in its parent's list) of every command, leaves and groups."""
    found = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    found.append(((*words, name), sub, helps.get(name) or ""))
                    walk(sub, (*words, name))

    walk(build_parser(), ())
    return found


def leaves() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    return [(w, p) for w, p, _ in command_tree() if not p._subparsers]


def leaf_ids() -> list[str]:
    return [" ".join(w) for w, _ in leaves()]


def required_args(parser: argparse.ArgumentParser) -> list[str]:
    """The smallest argument list a command parses: its positionals and required options."""
    argv: list[str] = []
    for action in parser._actions:
        value = str(next(iter(action.choices))) if action.choices else "1"
        if not action.option_strings and action.nargs not in ("?", "*", argparse.SUPPRESS) and \
                not isinstance(action, argparse._SubParsersAction):
            argv.append(value)
        elif action.option_strings and action.required:
            argv += [action.option_strings[0], value]
    return argv
