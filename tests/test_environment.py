"""The two installation routes ask for the same packages."""

import tomllib

import yaml

from sqresearch import __version__
from sqresearch.cli import main
from sqresearch.paths import ROOT


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert set(pip) - {"-e ."} == wanted
    assert "-e ." in pip
    assert "python=3.11" in env["dependencies"]


def test_cli_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"sqresearch {__version__}"


def test_cli_help_lists_commands(capsys):
    assert main([]) == 0
    assert "usage: sqresearch" in capsys.readouterr().out


def test_every_command_registers_its_options(capsys):
    from sqresearch.cli import COMMANDS

    for name in COMMANDS:
        try:
            main([name, "--help"])
        except SystemExit as exc:
            assert exc.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: sqresearch {name}"), name


def test_help_imports_no_analysis_library():
    import subprocess
    import sys

    code = "import sys; from sqresearch.cli import build_parser; build_parser(); print('semopy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
