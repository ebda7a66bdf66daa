"""docs/cli.md: the ``plait`` command line, run for real.

python docs/examples/cli.py

Copies ``dataflows/basket.py`` into a temp folder that is a fresh git repository (so
``plait diff`` has a revision to compare with), runs each command there with
``python -m plait._cli.main`` (what the installed ``plait`` script runs), and prints the
command line, then what the command printed (stdout, then stderr).
"""

import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ENV = {
    **os.environ,
    "COLUMNS": "100",  # rich tables: a fixed width
    "GIT_CONFIG_GLOBAL": os.devnull,  # git: no user settings, fixed names and dates,
    "GIT_CONFIG_NOSYSTEM": "1",  # so the commit id below is the same on every run
    "GIT_AUTHOR_NAME": "Docs",
    "GIT_AUTHOR_EMAIL": "docs@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_NAME": "Docs",
    "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
}


def plait(command, cwd, head=None):
    """Run ``plait COMMAND``; print it and its output (the first ``head`` lines if given)."""
    done = subprocess.run(
        [sys.executable, "-m", "plait._cli.main", *shlex.split(command)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=ENV,
    )
    lines = (done.stdout + done.stderr).splitlines()
    print(f"$ plait {command}")
    print("\n".join(lines[:head]))
    if done.returncode:
        print(f"(exit status {done.returncode})")
    print()


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True)


with tempfile.TemporaryDirectory() as tmp:
    shop = pathlib.Path(tmp)
    basket = shop / "basket.py"
    basket.write_text((HERE / "dataflows" / "basket.py").read_text())
    (shop / "order.json").write_text('{"prices": [2.5, 4.0], "quantities": [2, 1]}\n')
    git("init", "-q", "-b", "main", cwd=shop)
    git("add", "basket.py", cwd=shop)
    git("commit", "-q", "-m", "basket v1", cwd=shop)

    # --- run ---
    plait(
        "run basket.py --outputs total,receipt --inputs 'prices=[2.5, 4.0]' "
        "--inputs 'quantities=[2, 1]' --inputs customer=Ann --config currency=EUR",
        shop,
    )
    plait(
        "run basket.py --outputs subtotal,tax,total --inputs-file order.json "
        "--inputs tax_rate=0.1 --json",
        shop,
    )

    # --- list ---
    plait("list basket.py", shop)
    plait("list basket.py --tag pii=true --json", shop)

    # --- view ---
    plait("view basket.py --outputs total", shop, head=3)
    plait("view basket.py --output basket.dot", shop)

    # --- validate ---
    plait("validate basket.py --config currency=EUR", shop)
    plait(
        "validate basket.py --outputs total --inputs 'prices=[2.5]' --inputs quantities=[4]", shop
    )

    # --- diff ---
    source = basket.read_text()
    source = source.replace("subtotal * tax_rate, 2)", "subtotal * tax_rate, 1)")
    source = source.replace('"""Price times quantity', '"""Each price times its quantity')
    source += '''

def points(total: float) -> int:
    """Loyalty points: one per whole unit spent."""
    return int(total)
'''
    basket.write_text(source)
    plait("diff basket.py --ref HEAD", shop)
    plait("diff basket.py --ref HEAD --json", shop)

    # --- catalog ---
    plait("catalog basket.py --output catalog.html", shop)

    # --- errors ---
    plait("run basket.py --outputs totl", shop)
    plait("run basket.py --outputs total --inputs 'quantities=[2, 1'", shop)
    plait("list baskt.py", shop)
    plait("run basket.py", shop)
