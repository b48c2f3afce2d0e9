"""The public API is a contract: façades export sorted, resolvable names; the CLI lists every subcommand."""

from __future__ import annotations

import importlib
import pathlib

import pytest

import avetmiss_finalise
from avetmiss_finalise.cli import build_parser, main

FACADES = (
    "avetmiss_finalise",
    "avetmiss_finalise.nat",
    "avetmiss_finalise.outcomes",
    "avetmiss_finalise.transition",
    "avetmiss_finalise.validation",
    "avetmiss_finalise.profiles",
    "avetmiss_finalise.model",
    "avetmiss_finalise.decisions",
    "avetmiss_finalise.issues",
    "avetmiss_finalise.errors",
)


@pytest.mark.parametrize("name", FACADES)
def test_facade_all_has_no_duplicates_and_every_name_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported))
    for item in exported:
        assert hasattr(module, item), f"{name}.{item}"


def test_top_level_exports_the_names_other_systems_rely_on() -> None:
    for item in ("read_collection", "write_collection", "finalise", "plan_transition", "validate", "Issue"):
        assert item in avetmiss_finalise.__all__


def test_the_finalise_commands_batch_is_one_import_away() -> None:
    """An SMS finalising from Python gets the command's batch (files, refusals, decisions) from the façade."""
    from avetmiss_finalise import batch, jsonio

    assert avetmiss_finalise.finalise_batch is batch.finalise_batch
    assert avetmiss_finalise.BatchResult is batch.BatchResult
    assert avetmiss_finalise.parse_input is jsonio.parse_input


def test_errors_subclass_builtins_so_callers_can_catch_either() -> None:
    assert issubclass(avetmiss_finalise.UsageError, ValueError)
    assert issubclass(avetmiss_finalise.UnreadableInputError, OSError)
    assert issubclass(avetmiss_finalise.WriteError, ValueError)


def test_cli_lists_every_subcommand() -> None:
    help_text = build_parser().format_help()
    for command in ("inspect", "convert", "finalise", "demo", "validate", "rules"):
        assert command in help_text


def test_cli_without_a_command_is_a_usage_error() -> None:
    assert main([]) == 2


def test_cli_unknown_option_is_a_usage_error() -> None:
    assert main(["validate", "--no-such-option"]) == 2


@pytest.mark.parametrize("command", ["inspect", "validate"])
def test_cli_profile_names_are_case_insensitive_like_the_python_api(command: str) -> None:
    args = [command, str(pathlib.Path(__file__).parents[1] / "fixtures" / "sample"), "--profile", "NSW"]
    if command == "validate":
        args += ["--period", "2026"]
    assert main(args) == 0
