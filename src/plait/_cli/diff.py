"""``plait diff``: the dataflow now against the dataflow at a git revision.

For each module, the ``.py`` files under its import root (the folder on ``sys.path`` for it:
a lone file's folder, a package's parent) are exported from ``git archive REF`` into a temp
folder; a subprocess (``python -m plait._cli.snapshot``) imports the old modules from there
under their own names and reports each node's kind and code version. Nodes are *changed*
when their kind (input / function / config) or the hash of their function's source changed
(docstrings and comments do not count, as in ``HamiltonNode.version``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from plait._cli import load, show, snapshot
from plait._cli.errors import CLIError


def compare(args: Sequence[str], ref: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """``{"ref", "commit", "added", "removed", "changed", "how_changed", "downstream",
    "downstream_of"}`` (``how_changed``: ``"code"`` or ``"input -> function"`` ...)."""
    modules = load.import_modules(args)
    dr = load.build_driver(modules, config)
    now = snapshot.of(dr)
    with tempfile.TemporaryDirectory(prefix="plait-diff-") as tmp:
        commit, old_modules = _export(modules, ref, Path(tmp))
        old = _old_snapshot(old_modules, config, ref, Path(tmp))
    added = sorted(now.keys() - old.keys())
    changed = sorted(n for n in now.keys() & old.keys() if now[n] != old[n])
    skip = {*changed, *added}
    downstream_of = {
        c: sorted(v.name for v in dr.what_is_downstream_of(c) if v.name not in skip)
        for c in changed
    }
    return {
        "ref": ref,
        "commit": commit,
        "added": added,
        "removed": sorted(old.keys() - now.keys()),
        "changed": changed,
        "how_changed": {c: _how(old[c], now[c]) for c in changed},
        "downstream": sorted({n for names in downstream_of.values() for n in names}),
        "downstream_of": downstream_of,
    }


def _how(old: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    return "code" if old["kind"] == now["kind"] else f"{old['kind']} -> {now['kind']}"


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise CLIError("plait diff needs git, which is not installed (or not on PATH).") from exc


def _repo_commit(folder: Path, ref: str) -> tuple[Path, str]:
    """The repository holding ``folder`` and the short commit ``ref`` names there."""
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise CLIError(f"{folder} is not in a git repository.")
    top = Path(done.stdout.decode().strip()).resolve()
    done = _git(top, "rev-parse", "--verify", "--quiet", "--short", f"{ref}^{{commit}}")
    if done.returncode != 0:
        raise CLIError(f"git ref '{ref}' not found in {top}.")
    return top, done.stdout.decode().strip()


def _export(
    modules: Sequence[ModuleType], ref: str, tmp: Path
) -> tuple[str, list[tuple[str, str]]]:
    """Export each module's import root at ``ref``; return the commit and the ``(name, old
    root)`` of the modules that existed then."""
    old_roots: dict[Path, Path] = {}
    commits: list[str] = []
    found: list[tuple[str, str]] = []
    for module in modules:
        root = load.import_root(module)
        if root not in old_roots:
            top, commit = _repo_commit(root, ref)
            commits.append(commit)
            rel = _relative(root, top, module)
            dest = tmp / f"repo{len(old_roots)}"
            _archive(top, ref, rel, dest)
            old_roots[root] = dest / rel
        file = Path(str(module.__file__)).resolve().relative_to(root)
        if (old_roots[root] / file).is_file():
            found.append((module.__name__, str(old_roots[root])))
    return commits[0], found


def _relative(root: Path, top: Path, module: ModuleType) -> Path:
    try:
        return root.relative_to(top)
    except ValueError:
        raise CLIError(
            f"Module '{module.__name__}' is imported from {root}, outside its git "
            f"repository {top}: plait diff cannot export it."
        ) from None


def _archive(top: Path, ref: str, rel: Path, dest: Path) -> None:
    """Write the ``.py`` files under ``rel`` at ``ref`` into ``dest`` (same layout)."""
    prefix = "" if rel == Path(".") else f"{rel.as_posix()}/"
    done = _git(top, "archive", "--format=tar", ref, "--", f":(glob){prefix}**/*.py")
    if done.returncode != 0:
        if b"did not match any files" in done.stderr:
            return  # no Python file there at ref: every node is new
        raise CLIError(f"git archive {ref} failed: {' '.join(done.stderr.decode().split())}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        for member in tar.getmembers():
            target = (dest / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(dest.resolve()):
                continue
            data = tar.extractfile(member)
            if data is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data.read())


def _old_snapshot(
    modules: Sequence[tuple[str, str]], config: Mapping[str, Any], ref: str, tmp: Path
) -> dict[str, Any]:
    """The snapshot of the old modules, taken in a subprocess."""
    if not modules:
        return {}
    import plait

    plait_root = str(Path(plait.__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([plait_root, os.environ.get("PYTHONPATH", "")]),
    }
    request = json.dumps({"modules": modules, "config": repr(dict(config))})
    done = subprocess.run(
        [sys.executable, "-m", "plait._cli.snapshot"],
        input=request,
        capture_output=True,
        text=True,
        cwd=tmp,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise CLIError(f"The dataflow at {ref} does not load: {last}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def print_diff(found: Mapping[str, Any]) -> None:
    """The ``diff`` table (or one line when nothing changed)."""
    since = f"{found['ref']} ({found['commit']})"
    rows = [("added", n, "") for n in found["added"]]
    rows += [("removed", n, "") for n in found["removed"]]
    rows += [("changed", n, found["how_changed"][n]) for n in found["changed"]]
    after: dict[str, list[str]] = {}
    for changed, names in found["downstream_of"].items():
        for name in names:
            after.setdefault(name, []).append(changed)
    rows += [("downstream", n, "after " + ", ".join(after[n])) for n in found["downstream"]]
    if not rows:
        show.line(f"No change to the dataflow since {since}.")
        return
    show.table(f"Dataflow changes since {since}", ["change", "node", "why"], rows)
