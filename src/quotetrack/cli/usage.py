"""Help and usage errors a person reads.

typer's defaults show the parser's view: `{paths}...`, `<list[str]>`, `<str>`, and messages with the
validation library's prefix ("Invalid value for '--format' / '-f': Value error, 'xml' is not one of
'table', …"). `ReadableGroup`, the class of the `quotetrack` group, goes over the commands typer
built and gives them:

- metavars: `PATH...`, `NAME`, `DATE`, `FILE`, `URL`, `N` (METAVARS, else by the value's type);
- usage errors as `--format: 'xml' is not one of table, json, jsonl, csv`, and extra arguments after
  a repeatable option answered with how to repeat it (`compare --speaker A B`).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from typer._click import exceptions as click_exceptions
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# Option (long name) -> what its value is, in the help.
METAVARS = {
    "--db": "URL",
    "--speaker": "NAME",
    "--outlet": "NAME",
    "--alias": "NAME",
    "--name": "NAME",
    "--model": "NAME",
    "--search": "WORDS",
    "--topic": "TOPIC",
    "--since": "DATE",
    "--until": "DATE",
    "--published": "DATE",
    "--output": "FILE",
    "--input": "FILE",
    "--meta": "FILE",
    "--pred": "FILE",
    "--errors": "FILE",
    "--names": "FILE",
    "--name-pattern": "PATTERN",
    "--cluster": "ADDRESS",
    "--doc": "ID",
    "--proposition": "ID",
}
# Argument (parameter name) -> its metavar.
ARGUMENTS = {
    "paths": "PATH", "quote_id": "ID", "gold_dir": "GOLD_DIR", "keep": "KEEP", "other": "OTHER", "speaker": "SPEAKER", "name": "NAME",
}
BY_TYPE = {"<str>": "TEXT", "<int>": "N", "<int range>": "N", "<float>": "NUMBER", "<path>": "FILE"}


class ReadableArgument(TyperArgument):
    """An argument shown by its metavar: `PATH...` in the usage line and the help."""

    def _rich_display_name(self) -> str:
        name = self.metavar or self.name.upper()
        return name + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _parse_args(command: Any, parse: Any, ctx: Any, args: list[str]) -> list[str]:
    """`parse(ctx, args)` with usage errors in the project's words (see the module doc)."""
    given = list(args)  # the parser consumes the list
    try:
        return parse(ctx, args)
    except click_exceptions.MissingParameter:
        raise
    except click_exceptions.BadParameter as exc:
        raise click_exceptions.UsageError(bad_value(exc), ctx=exc.ctx or ctx) from None
    except click_exceptions.UsageError as exc:
        hint = extra_arguments_hint(exc.message, command, given)
        if hint is None:
            raise
        raise click_exceptions.UsageError(hint, ctx=exc.ctx or ctx) from None


class ReadableCommand(TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parse_args(self, super().parse_args, ctx, args)


class ReadableSubGroup(TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parse_args(self, super().parse_args, ctx, args)


class ReadableGroup(TyperGroup):
    """The `quotetrack` group: every command under it gets readable metavars and messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        readable(self)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parse_args(self, super().parse_args, ctx, args)


def readable(command: Any) -> None:
    for param in command.params:
        if type(param) is TyperArgument:
            param.__class__ = ReadableArgument
            if param.metavar is None and param.name in ARGUMENTS:
                param.metavar = ARGUMENTS[param.name]
        elif isinstance(param, TyperOption) and param.metavar is None and not (param.is_flag or param.count):
            long = max(param.opts, key=len)
            shown = param.display_type(None) if not _is_choice(param) else None  # type: ignore[arg-type]
            if long in METAVARS:
                param.metavar = METAVARS[long]
            elif shown in BY_TYPE:
                param.metavar = BY_TYPE[shown]
    for sub in getattr(command, "commands", {}).values():
        if type(sub) is TyperCommand:
            sub.__class__ = ReadableCommand
        elif type(sub) is TyperGroup:
            sub.__class__ = ReadableSubGroup
        readable(sub)


def _is_choice(param: TyperOption) -> bool:
    try:
        return bool(param.type_descriptor.is_choice)
    except AttributeError:
        return False


def _name(param: Any) -> str:
    if param is None:
        return "value"
    if isinstance(param, TyperOption):
        return max(param.opts, key=len)
    return param.metavar or (param.name or "value").upper()


def bad_value(exc: click_exceptions.BadParameter) -> str:
    """`--format: 'xml' is not one of table, json, jsonl, csv` for typer's "Invalid value for
    '--format' / '-f': Value error, 'xml' is not one of 'table', 'json', 'jsonl', 'csv'."."""
    name = _name(exc.param)
    message = re.sub(r"^Value error, ", "", str(exc.message)).rstrip(".")
    choice = re.fullmatch(r"(?s)(.*) is not one of (.*)", message)
    if choice:
        options = ", ".join(part.strip().strip("'\"") for part in choice.group(2).split(","))
        return f"{name}: {choice.group(1)} is not one of {options}"
    given = _input_of(exc)
    if "valid integer" in message:
        return f"{name}: {given!r} is not a whole number" if given is not None else f"{name}: not a whole number"
    bound = re.fullmatch(r"Input should be (greater|less) than or equal to (\S+)", message)
    if bound:
        least = "at least" if bound.group(1) == "greater" else "at most"
        return f"{name}: must be {least} {bound.group(2)}" + (f", not {given}" if given is not None else "")
    return f"{name}: {message[0].lower() + message[1:] if message[:1].isupper() and message[1:2].islower() else message}"


def _input_of(exc: BaseException) -> Any:
    """The value the user gave, when the validation error behind `exc` holds it."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # noqa: BLE001 - only a nicer message is at stake
            return None
        if found and "input" in found[0]:
            return found[0]["input"]
    return None


def extra_arguments_hint(message: str, command: Any, args: list[str]) -> str | None:
    """`Got unexpected extra argument (B): repeat --speaker for each speaker, e.g. --speaker A
    --speaker B` when the extra arguments follow the value of a repeatable option; else None."""
    found = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message)
    if not found:
        return None
    extras = found.group(1)
    repeatable = {opt: param for param in command.params if isinstance(param, TyperOption) and param.multiple for opt in param.opts}
    for index, token in enumerate(args):
        option, equals, inline = token.partition("=")
        if option not in repeatable or (not equals and index + 1 >= len(args)):
            continue
        first = index + 1 if equals else index + 2
        value = inline if equals else args[index + 1]
        following = []
        for rest in args[first:]:
            if rest.startswith("-"):
                break
            following.append(rest)
        if not following or " ".join(following) != extras[: len(" ".join(following))]:
            continue
        long = max(repeatable[option].opts, key=len)
        noun = long.lstrip("-").replace("-", " ")
        example = " ".join(f"{long} {shlex.quote(v)}" for v in [value, *following])
        plural = "s" if len(following) > 1 else ""
        return f"Got unexpected extra argument{plural} ({extras}): repeat {long} for each {noun}, e.g. {example}"
    return None
