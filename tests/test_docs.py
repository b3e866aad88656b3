"""Docs are tested: generated pages are current, every command and rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from kuk_xlsx.catalogue import text
from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.cli.commands import cli
from kuk_xlsx.docs import rules_markdown, steps_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_docs_are_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run python -m kuk_xlsx.docs"
    )
    assert (ROOT / "docs" / "steps.md").read_text(encoding="utf-8") == steps_markdown(), (
        "docs/steps.md is stale: run python -m kuk_xlsx.docs"
    )


def test_every_rule_is_documented_in_every_language() -> None:
    page = rules_markdown()
    for code in CATALOGUE:
        assert page.count(f"`{code}`") == 3, code


def test_a_rule_with_a_fix_per_case_shows_every_case() -> None:
    """The M&E share says add or cut: a trainer reading the rules sees both."""
    from kuk_xlsx.catalogue import text

    page = rules_markdown()
    for lang in ("kk", "ru", "en"):
        for key in ("fix_add", "fix_cut"):
            shown = text(f"rules.KUK-BUDGET-ME-SHARE.{key}", lang).replace("\n", " ")
            assert shown.split("{")[0] in page, (lang, key)


def test_every_command_is_documented_and_has_help() -> None:
    for name in cli.commands:
        assert f"### `kuk-xlsx {name}" in README, name
        for lang in ("kk", "ru", "en"):
            result = CliRunner().invoke(cli, [name, "--help", "--lang", lang])
            assert result.exit_code == 0, result.output
            said = " ".join(result.output.split())
            assert said.startswith(text("cli.help.usage", lang)), (name, lang)
            assert text(f"cli.help.{name}", lang)[:40] in said, (name, lang)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```\n(.*?)\n```", README, flags=re.S)
    setup, tests = blocks[0], blocks[1]
    assert "pip install ." in setup and "kuk-xlsx demo" in setup
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), "the README's test command must be what .ci/run runs"
    assert "apt-get install" in ci and "libreoffice-calc-nogui" in ci and "python3-uno" in ci


def test_quick_starts_in_kazakh_and_russian() -> None:
    assert "## Жылдам бастау (қазақша)" in README
    assert "## Быстрый старт (по-русски)" in README
