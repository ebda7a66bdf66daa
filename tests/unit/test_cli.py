"""The ``plait`` command line, run for real: ``python -m plait._cli.main`` (and the installed
``plait`` script) in subprocesses, over modules written to a temp dir."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plait._cli.errors import CLIError
from plait._cli.load import parse_config, parse_input
from plait._cli.show import jsonable

SRC = Path(__file__).resolve().parents[2] / "src"
SCRIPT = Path(sys.executable).parent / "plait"

FLOW = '''
"""A small dataflow for the CLI tests."""

from plait.function_modifiers import tag


def doubled(x: int) -> int:
    """Twice x."""
    return x * 2


@tag(owner="me", pii="true")
def greeting(name: str, doubled: int) -> str:
    return f"hello {name} {doubled}"


def total(doubled: int, extra: list[int] = [1]) -> int:
    return doubled + sum(extra)


def ratio(doubled: int, divisor: int) -> float:
    return doubled / divisor
'''


def plait(command: str, *args: str, cwd: Path, script: bool = False, env: dict | None = None):
    """Run ``plait COMMAND ARGS`` (``command`` split as a shell would) in ``cwd``."""
    program = [str(SCRIPT)] if script else [sys.executable, "-m", "plait._cli.main"]
    paths = [str(SRC), os.environ.get("PYTHONPATH", "")]
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "COLUMNS": "120"}
    environ.update(env or {})
    return subprocess.run(
        [*program, *shlex.split(command), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def one_error_line(done) -> str:
    """The run failed with exactly one ``plait: error:`` line on stderr; return it."""
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("plait: error: "), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source).lstrip())
    return path


@pytest.fixture
def flow(tmp_path: Path) -> Path:
    write(tmp_path, "flow.py", FLOW)
    return tmp_path


# -- run -----------------------------------------------------------------------------------


def test_run_prints_json_outputs(flow):
    inputs = "--inputs x=3 --inputs name=007 --inputs 'extra=[10, 20]'"
    done = plait(f"run flow.py --outputs doubled,greeting,total --json {inputs}", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"doubled": 6, "greeting": "hello 007 6", "total": 36}


def test_run_prints_a_table(flow):
    done = plait("run flow.py --outputs greeting --inputs x=1 --inputs name=Ann", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert "output" in done.stdout and "greeting" in done.stdout
    assert "hello Ann 2" in done.stdout and "str" in done.stdout


def test_run_takes_inputs_and_config_from_files_the_command_line_wins(flow):
    (flow / "in.json").write_text(json.dumps({"x": 1, "name": "file"}))
    (flow / "cfg.json").write_text(json.dumps({"divisor": 4}))
    files = "--inputs-file in.json --config-file cfg.json"
    done = plait(f"run flow.py --outputs greeting,ratio {files} --inputs x=5 --json", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"greeting": "hello file 10", "ratio": 2.5}


def test_run_config_value_on_the_command_line(flow):
    done = plait("run flow.py --outputs ratio --inputs x=1 --config divisor=8 --json", cwd=flow)
    assert json.loads(done.stdout) == {"ratio": 0.25}


def test_run_a_module_by_name_and_a_package_file(flow):
    write(flow, "pkg/__init__.py", "")
    write(flow, "pkg/helpers.py", "def three() -> int:\n    return 3\n")
    write(
        flow,
        "pkg/steps.py",
        """
        from .helpers import three


        def tripled(x: int) -> int:
            return x * three()
    """,
    )
    by_name = plait("run pkg.steps --outputs tripled --inputs x=2 --json", cwd=flow)
    assert json.loads(by_name.stdout) == {"tripled": 6}, by_name.stderr
    steps = str(flow / "pkg" / "steps.py")
    by_path = plait("run --outputs tripled --inputs x=3 --json", steps, cwd=flow.parent)
    assert json.loads(by_path.stdout) == {"tripled": 9}, by_path.stderr


def test_run_several_modules(flow):
    write(flow, "more.py", "def quadrupled(doubled: int) -> int:\n    return doubled * 2\n")
    done = plait("run flow.py more.py --outputs quadrupled --inputs x=2 --json", cwd=flow)
    assert json.loads(done.stdout) == {"quadrupled": 8}


def test_run_json_makes_values_json_friendly(tmp_path):
    write(
        tmp_path,
        "odd.py",
        """
        import datetime


        def when() -> datetime.date:
            return datetime.date(2024, 1, 31)


        def pair() -> tuple:
            return (1, float("nan"))
    """,
    )
    done = plait("run odd.py --outputs when,pair --json", cwd=tmp_path)
    assert json.loads(done.stdout) == {"when": "2024-01-31", "pair": [1, None]}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--outputs", "doubld", "--inputs", "x=1"], "'doubld'. Did you mean 'doubled'?"),
        (["--outputs", "doubled", "--inputs", "x=[1"], "--inputs x=[1: not a Python literal"),
        (["--outputs", "doubled", "--inputs", "y=1"], "no node named 'y'"),
        (["--outputs", "doubled", "--inputs", "x"], "--inputs 'x': expected key=value"),
        (["--outputs", "doubled"], "required input"),
        (["--outputs", "ratio", "--inputs", "x=1", "--config", "divisor=0"], "ZeroDivisionError"),
        (["--outputs", "doubled", "--inputs-file", "missing.json"], "missing.json: cannot read"),
    ],
)
def test_run_errors_are_one_line(flow, args, expected):
    done = plait("run flow.py", *args, cwd=flow)
    assert expected in one_error_line(done)


def test_a_node_failure_names_the_node(flow):
    done = plait("run flow.py --outputs ratio --inputs x=1 --inputs divisor=0", cwd=flow)
    line = one_error_line(done)
    assert "ZeroDivisionError: division by zero" in line and "node 'ratio'" in line
    assert done.returncode == 1


def test_debug_shows_the_traceback(flow):
    done = plait("run flow.py --outputs ratio --inputs x=1 --inputs divisor=0 --debug", cwd=flow)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "return doubled / divisor" in done.stderr


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("nosuchmodule", "No module named 'nosuchmodule'"),
        ("missing.py", "No such file: 'missing.py'"),
        ("broken.py", "Importing 'broken.py' failed: SyntaxError"),
        ("needs_dep.py", "Importing 'needs_dep.py' failed: ModuleNotFoundError"),
        ("not-a-name", "neither a .py file nor a module name"),
        ("os.py", "would be imported as 'os', but a module of that name is already loaded"),
    ],
)
def test_unknown_or_broken_modules_are_one_line(tmp_path, module, expected):
    write(tmp_path, "broken.py", "def f(:\n")
    write(tmp_path, "needs_dep.py", "import not_installed_anywhere\n")
    write(tmp_path, "os.py", "def shadow() -> int:\n    return 1\n")
    done = plait("list", module, cwd=tmp_path)
    assert expected in one_error_line(done)
    assert done.returncode == 1


def test_usage_mistakes_exit_2_with_one_line(flow):
    done = plait("run flow.py", cwd=flow)
    assert one_error_line(done) == (
        "plait: error: Missing option '--outputs'; see 'plait run --help'."
    )
    assert done.returncode == 2
    done = plait("frobnicate", cwd=flow)
    assert "No such command 'frobnicate'" in one_error_line(done)
    assert done.returncode == 2


def test_help(flow):
    bare = plait("", cwd=flow)
    assert bare.returncode == 0 and bare.stdout.startswith("Usage: plait [OPTIONS] COMMAND")
    for command in ("run", "list", "view", "validate", "diff", "catalog"):
        assert f"  {command} " in bare.stdout
    run_help = plait("run --help", cwd=flow)
    assert run_help.returncode == 0 and "--inputs KEY=VALUE" in run_help.stdout


def test_debug_may_come_first(flow):
    done = plait("--debug run flow.py --outputs ratio --inputs x=1 --inputs divisor=0", cwd=flow)
    assert done.returncode == 1 and "Traceback" in done.stderr


def test_warnings_are_one_line(tmp_path):
    write(
        tmp_path,
        "loop.py",
        """
        def a(b: int) -> int:
            return b


        def b(a: int) -> int:
            return a


        def c(x: int) -> int:
            return x
    """,
    )
    done = plait("run loop.py --outputs c --inputs x=2 --json", cwd=tmp_path)
    assert json.loads(done.stdout) == {"c": 2}
    assert done.stderr.strip().splitlines() == [
        "plait: warning: The graph has 1 cycle(s): b -> a -> b. Outputs that depend on a "
        "cycle cannot be computed; the rest of the graph still runs."
    ]


# -- list ----------------------------------------------------------------------------------


def test_list_json(flow):
    done = plait("list flow.py --json", cwd=flow)
    assert done.returncode == 0, done.stderr
    rows = {r["name"]: r for r in json.loads(done.stdout)}
    assert set(rows) == {"doubled", "greeting", "total", "ratio", "x", "name", "extra", "divisor"}
    greeting = rows["greeting"]
    assert greeting["kind"] == "function" and greeting["type"] == "str"
    assert greeting["module"] == "flow"
    assert greeting["tags"] == {"module": "flow", "owner": "me", "pii": "true"}
    assert (Path(greeting["file"]).name, greeting["line"]) == ("flow.py", 11)
    assert greeting["required_dependencies"] == ["doubled", "name"]
    assert len(greeting["version"]) == 64
    assert rows["doubled"]["documentation"] == "Twice x."
    assert rows["extra"] == {**rows["extra"], "kind": "input", "type": "list[int]"}
    assert rows["extra"]["version"] is None


def test_list_marks_config_values(flow):
    done = plait("list flow.py --json --config divisor=2", cwd=flow)
    kinds = {r["name"]: r["kind"] for r in json.loads(done.stdout)}
    assert kinds["divisor"] == "config" and kinds["x"] == "input"


def test_list_filters_by_tag(flow):
    def names(*tags: str) -> list[str]:
        done = plait("list flow.py --json", *tags, cwd=flow)
        assert done.returncode == 0, done.stderr
        return sorted(r["name"] for r in json.loads(done.stdout))

    assert names("--tag", "owner=me") == ["greeting"]
    assert names("--tag", "owner=you") == []
    assert names("--tag", "owner=you", "--tag", "owner=me") == ["greeting"]
    assert names("--tag", "pii") == ["greeting"]
    assert names("--tag", "module=flow", "--tag", "owner=me") == ["greeting"]


def test_list_table(flow):
    done = plait("list flow.py", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert "8 nodes" in done.stdout
    assert "owner=me, pii=true" in done.stdout
    assert "flow.py:11" in done.stdout  # relative to the current folder


# -- view ----------------------------------------------------------------------------------


def _has_graphviz_package() -> bool:
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return False
    return True


needs_graphviz = pytest.mark.skipif(
    not _has_graphviz_package(), reason="plait view needs the graphviz package"
)


@needs_graphviz
def test_view_prints_dot(flow):
    done = plait("view flow.py", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().startswith("// Dependency Graph\ndigraph {")
    for name in ("doubled", "greeting", "total", "ratio"):
        assert name in done.stdout


@needs_graphviz
def test_view_outputs_only_draws_what_they_need(flow):
    done = plait("view flow.py --outputs greeting --output g.dot", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Wrote g.dot\n"
    dot = (flow / "g.dot").read_text()
    assert "greeting" in dot and "doubled" in dot and "ratio" not in dot


@needs_graphviz
@pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz programs")
def test_view_renders_svg(flow):
    done = plait("view flow.py --output flow.svg", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert "<svg" in (flow / "flow.svg").read_text()


@needs_graphviz
def test_view_errors_are_one_line(flow):
    done = plait("view flow.py --outputs nope", cwd=flow)
    assert "Unknown node(s) 'nope'" in one_error_line(done)
    done = plait("view flow.py --output picture", cwd=flow)
    assert "name the format by extension" in one_error_line(done)


# -- validate ------------------------------------------------------------------------------


def test_validate_ok(flow):
    done = plait("validate flow.py", cwd=flow)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "ok    build: 4 functions, 4 inputs",
        "ok    cycles: none",
        "inputs: divisor, name, x (optional: extra)",
        "valid",
    ]


def test_validate_reports_missing_inputs(flow):
    done = plait("validate flow.py --outputs greeting --inputs x=1 --json", cwd=flow)
    assert done.returncode == 1
    found = json.loads(done.stdout)
    assert found["valid"] is False
    request = found["checks"][-1]
    assert request["check"] == "request" and not request["ok"]
    assert "'name', needed by function 'greeting'" in request["message"]
    assert found["inputs"] == {"required": ["name", "x"], "optional": []}


def test_validate_request_ok(flow):
    done = plait(
        "validate flow.py --outputs greeting --inputs x=1 --inputs name=a --json", cwd=flow
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["valid"] is True


def test_validate_reports_input_type_errors(flow):
    (flow / "in.json").write_text('{"x": "three"}')
    done = plait("validate flow.py --outputs doubled --inputs-file in.json", cwd=flow)
    assert done.returncode == 1
    assert "FAIL  request:" in done.stdout and "'x'" in done.stdout


def test_validate_reports_cycles_and_type_errors(tmp_path):
    write(
        tmp_path,
        "loop.py",
        """
        def a(b: int) -> int:
            return b


        def b(a: int) -> int:
            return a
    """,
    )
    write(
        tmp_path,
        "clash.py",
        """
        def a(x: int) -> str:
            return str(x)


        def b(a: int) -> int:
            return a
    """,
    )
    loop = plait("validate loop.py --json", cwd=tmp_path)
    assert loop.returncode == 1 and loop.stderr == ""
    cycles = json.loads(loop.stdout)["checks"][1]
    assert cycles["check"] == "cycles" and "b -> a -> b" in cycles["message"]
    clash = plait("validate clash.py", cwd=tmp_path)
    assert clash.returncode == 1
    assert clash.stdout.startswith("FAIL  build: EdgeTypeMismatchError")
    assert clash.stdout.splitlines()[-1] == "invalid: 1 problem(s)"


# -- diff ----------------------------------------------------------------------------------

V1 = """
from pkg.helpers import factor


def base(x: int) -> int:
    return x + 1


def scaled(base: int) -> int:
    return base * factor()


def report(scaled: int) -> str:
    return str(scaled)


def summary(report: str) -> str:
    return report.upper()


def gone(x: int) -> int:
    return x
"""

V2 = '''
from pkg.helpers import factor


def base(x: int) -> int:
    """Documented now: docstrings and comments are not code changes."""
    return x + 1  # a comment


def scaled(base: int) -> int:
    return base * factor() * 10


def report(scaled: int) -> str:
    return str(scaled)


def summary(report: str) -> str:
    return report.upper()


def fresh(report: str) -> str:
    return report + "!"
'''


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "repo"
    write(root, "pkg/__init__.py", "")
    write(root, "pkg/helpers.py", "def factor() -> int:\n    return 2\n")
    write(root, "pkg/flow.py", V1)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1")
    git(root, "tag", "v1")
    write(root, "pkg/flow.py", V2)
    git(root, "commit", "-qam", "v2")
    return root


def test_diff_against_a_git_revision(repo):
    done = plait("diff pkg/flow.py --ref v1 --json", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "ref": "v1",
        "commit": git(repo, "rev-parse", "--short", "v1"),
        "added": ["fresh"],
        "removed": ["gone"],
        "changed": ["scaled"],
        "how_changed": {"scaled": "code"},
        "downstream": ["report", "summary"],
        "downstream_of": {"scaled": ["report", "summary"]},
    }


def test_diff_table_and_module_names(repo):
    done = plait("diff pkg.flow --ref 'HEAD~1'", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "Dataflow changes since HEAD~1" in done.stdout
    for row in ("added", "fresh", "removed", "gone", "changed", "scaled", "after scaled"):
        assert row in done.stdout


def test_diff_the_working_tree_and_from_elsewhere(repo):
    (repo / "pkg" / "flow.py").write_text(V2.replace("x + 1", "x + 2"))
    done = plait("diff --ref HEAD --json", str(repo / "pkg" / "flow.py"), cwd=repo.parent)
    found = json.loads(done.stdout)
    assert found["changed"] == ["base"] and found["added"] == found["removed"] == []
    assert found["downstream"] == ["fresh", "report", "scaled", "summary"]
    same = plait("diff pkg/flow.py --ref HEAD", cwd=repo)
    assert "changed" in same.stdout
    (repo / "pkg" / "flow.py").write_text(V2)
    same = plait("diff pkg/flow.py --ref HEAD", cwd=repo)
    assert same.stdout.startswith("No change to the dataflow since HEAD (")


def test_diff_an_input_that_became_a_function(repo):
    (repo / "pkg" / "flow.py").write_text(V2 + "\n\ndef x() -> int:\n    return 1\n")
    found = json.loads(plait("diff pkg/flow.py --ref HEAD --json", cwd=repo).stdout)
    assert found["changed"] == ["x"] and found["how_changed"] == {"x": "input -> function"}


def test_diff_a_module_new_since_the_ref(repo):
    write(repo, "pkg/extra.py", "def extra(base: int) -> int:\n    return base\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v3")
    done = plait("diff pkg/flow.py pkg/extra.py --ref 'HEAD~1' --json", cwd=repo)
    assert json.loads(done.stdout)["added"] == ["extra"], done.stderr


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("no-such-ref", "git ref 'no-such-ref' not found in "), ("HEAD~5", "git ref 'HEAD~5'")],
)
def test_diff_unknown_ref_is_one_line(repo, ref, expected):
    done = plait("diff pkg/flow.py --ref", ref, cwd=repo)
    assert expected in one_error_line(done)


def test_diff_outside_a_repository_and_broken_old_code(repo, flow):
    done = plait("diff flow.py --ref HEAD", cwd=flow)
    assert "is not in a git repository" in one_error_line(done)
    (repo / "pkg" / "flow.py").write_text("def broken(:\n")
    git(repo, "commit", "-qam", "broken")
    (repo / "pkg" / "flow.py").write_text(V2)
    done = plait("diff pkg/flow.py --ref HEAD", cwd=repo)
    line = one_error_line(done)
    assert "The dataflow at HEAD does not load: Importing 'pkg.flow' failed: SyntaxError" in line


# -- catalog -------------------------------------------------------------------------------


def test_catalog_writes_html(flow):
    done = plait("catalog flow.py --output out/catalog.html", cwd=flow)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Wrote out/catalog.html\n"
    page = (flow / "out" / "catalog.html").read_text()
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "greeting" in page and "Twice x." in page


# -- the console script, the import cost, a missing extra ---------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the plait script is not installed here")
def test_the_installed_console_script(flow):
    version = plait("--version", cwd=flow, script=True)
    assert version.returncode == 0 and version.stdout.startswith("plait ")
    done = plait("run flow.py --outputs doubled --inputs x=4 --json", cwd=flow, script=True)
    assert json.loads(done.stdout) == {"doubled": 8}, done.stderr
    assert "Missing option" in one_error_line(plait("run flow.py", cwd=flow, script=True))


def test_importing_plait_or_the_cli_entry_loads_no_cli_library(tmp_path):
    probe = (
        "import sys, plait, plait.driver, plait._cli.main\n"
        "print(sorted(m for m in ('click', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_json_output_does_not_load_rich(flow):
    probe = (
        "import sys; from plait._cli.main import main\n"
        "code = main(['list', 'flow.py', '--json'])\n"
        "print('rich' in sys.modules, code, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=flow,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
    )
    assert done.stderr.strip() == "False 0"


@pytest.mark.parametrize(
    ("library", "expected"),
    [
        ("click", "the plait command needs 'click': pip install \"plait[cli]\""),
        ("rich", "Printing tables needs 'rich': pip install \"plait[cli]\" (or pass --json)."),
    ],
)
def test_without_the_cli_extra_one_line_says_what_to_install(flow, library, expected):
    fake = flow / "fake_site"
    missing = f"raise ModuleNotFoundError(\"No module named '{library}'\", name='{library}')\n"
    write(fake, f"{library}/__init__.py", missing)
    done = plait("list flow.py", cwd=flow, env={"PYTHONPATH": f"{fake}{os.pathsep}{SRC}"})
    assert one_error_line(done) == f"plait: error: {expected}"


# -- literals (in process) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "annotation", "expected"),
    [
        ("Paris", str, "Paris"),
        ("007", str, "007"),
        ("'quoted'", str, "quoted"),
        ("[1, 2]", str, "[1, 2]"),
        ("a b", str | None, "a b"),
        ("3", int, 3),
        ("2.5", float, 2.5),
        ("[1, 2]", list[int], [1, 2]),
        ("{'a': 1}", dict, {"a": 1}),
        ("None", int | None, None),
        ("'text'", object, "text"),
        ("42", int | str, 42),
        ("forty", int | str, "forty"),
    ],
)
def test_input_literals_follow_the_annotation(text, annotation, expected):
    value = parse_input("v", text, annotation)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("annotation", [int, float, list[int], object])
def test_text_for_a_non_str_input_is_an_error(annotation):
    with pytest.raises(CLIError, match="not a Python literal"):
        parse_input("v", "Paris", annotation)


def test_config_values_are_literals_else_text():
    assert parse_config("3") == 3
    assert parse_config("EU") == "EU"
    assert parse_config("'3'") == "3"


def test_jsonable():
    class Thing:
        def __str__(self) -> str:
            return "thing"

    assert jsonable({1: (1.5, float("inf")), "s": {3}, "t": Thing()}) == {
        "1": [1.5, None],
        "s": [3],
        "t": "thing",
    }
