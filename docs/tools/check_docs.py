"""Check that the docs show only code that runs and output that it really prints.

    python docs/tools/check_docs.py

For ``README.md`` and every ``docs/*.md`` page:

* each ```` ```python ```` block must appear, verbatim, in one of the example sources
  (``docs/examples/*.py``, ``docs/examples/dataflows/*.py``, ``examples/*/*.py``);
* each ```` ```text ```` block is output: it must appear, verbatim, in what the page's script
  prints (``docs/examples/<page>.py``; ``readme.py`` for the README).

Exits non-zero and lists every mismatch. Each script runs once, from the repository root,
with ``src`` on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```\s*$", re.MULTILINE | re.DOTALL)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _sources() -> str:
    files = [*EXAMPLES.glob("*.py"), *EXAMPLES.glob("dataflows/*.py")]
    files += ROOT.glob("examples/*/*.py")
    return "\n\n".join(_normalise(path.read_text()) for path in sorted(files))


def _stdout(script: Path) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"{script.relative_to(ROOT)} failed:\n{done.stderr}")
    return _normalise(done.stdout)


def check(page: Path, script: Path, sources: str) -> list[str]:
    problems = []
    output = _stdout(script) if script.exists() else None
    for match in FENCE.finditer(page.read_text()):
        indent, language = len(match.group(1)), match.group(2)
        body = _normalise("\n".join(line[indent:] for line in match.group(3).splitlines()))
        line = page.read_text()[: match.start()].count("\n") + 1
        where = f"{page.relative_to(ROOT)}:{line}"
        if language == "python" and body not in sources:
            problems.append(f"{where}: python block not found in the example sources")
        elif language == "text":
            if output is None:
                problems.append(f"{where}: output block, but {script.relative_to(ROOT)} is missing")
            elif body not in output:
                problems.append(f"{where}: output block not printed by {script.relative_to(ROOT)}")
    return problems


def main() -> int:
    sources = _sources()
    pages = [(ROOT / "README.md", EXAMPLES / "readme.py")]
    pages += [(page, EXAMPLES / f"{page.stem}.py") for page in sorted((ROOT / "docs").glob("*.md"))]
    problems = []
    for page, script in pages:
        if page.exists():
            problems += check(page, script, sources)
    print("\n".join(problems) or f"ok: {len(pages)} pages checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
