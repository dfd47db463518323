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


def test_every_runtime_dependency_is_imported_or_says_why_not():
    """An unused dependency is a download for nothing: import it or say beside it why it is here."""
    import ast
    import importlib.metadata
    import re

    imported = set()
    for path in (ROOT / "sqresearch").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    dist_of = importlib.metadata.packages_distributions()
    used = {re.sub(r"[-_.]+", "-", d).lower() for m in imported for d in dist_of.get(m, [])}
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text[text.index("dependencies = [") : text.index("]\n", text.index("dependencies = ["))]
    lines = re.findall(r'^\s*"([^"]+)",\s*(#.*)?$', block, flags=re.M)
    assert len(lines) == len(tomllib.loads(text)["project"]["dependencies"])
    unexplained = []
    for spec, comment in lines:
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0]).lower()
        if name in used:
            assert not comment.startswith("# not imported"), f"{name} is imported: fix its comment"
        elif not comment.startswith("# not imported: "):
            unexplained.append(name)
    assert unexplained == []


def test_cli_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"sqresearch {__version__}"


def test_cli_version_verbose_lists_the_recorded_packages(capsys):
    import importlib.metadata
    import platform

    from sqresearch.versions import RECORDED_PACKAGES

    assert main(["--version", "--verbose"]) == 0
    first, *rows = capsys.readouterr().out.splitlines()
    assert first == f"sqresearch {__version__}"
    listed = dict(row.split() for row in rows)
    assert listed.pop("python") == platform.python_version()
    assert list(listed) == [p for p in RECORDED_PACKAGES if p != "sqresearch"]
    for name, version in listed.items():  # every one is a runtime dependency, so installed
        assert version == importlib.metadata.version(name), name


def test_build_records_the_same_packages_the_cli_prints():
    from sqresearch import build, versions
    from sqresearch.paths import STUDY_CONFIG
    from sqresearch.study import load_study

    assert build.RECORDED_PACKAGES is versions.RECORDED_PACKAGES
    info = build.build_info(load_study(STUDY_CONFIG))
    assert info["packages"] == versions.package_versions()


def test_recorded_packages_are_runtime_dependencies():
    import re

    from sqresearch.versions import RECORDED_PACKAGES

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert {p.lower() for p in RECORDED_PACKAGES} - {"sqresearch"} <= runtime


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

    heavy = ("semopy", "statsmodels", "matplotlib", "pandas", "scipy")
    code = (
        "import sys; from sqresearch.cli import build_parser, version_text; build_parser(); "
        f"version_text(verbose=True); print([m for m in {heavy!r} if m in sys.modules])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
