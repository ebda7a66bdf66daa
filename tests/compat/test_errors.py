"""A user function's exception keeps its type and traceback and says which node raised it."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from dags import failing, overrides

from .harness import Impl, both_raise, user_frame, where


@pytest.mark.parametrize("entry", ["builder", "legacy"])
def test_user_exception_keeps_its_type(impl: Impl, ham: Impl, entry: str):
    def run(lib: Impl):
        dr = lib.build(failing) if entry == "builder" else lib.legacy(failing)
        return dr.execute(["greeting_line"], inputs={"country": "Peru"})

    got, want = both_raise(impl, ham, run)
    assert type(got) is type(want) is KeyError  # the very type, not a wrapper
    assert got.args == want.args == ("peru",)


def test_user_exception_traceback_reaches_the_user_function(impl: Impl):
    with pytest.raises(KeyError) as info:
        impl.build(failing).execute(["greeting_line"], inputs={"country": "Peru"})
    frame = user_frame(info.value)
    assert Path(frame.filename).name == "failing.py"
    assert frame.name == "country_code"


def test_user_exception_says_which_node_raised_it(impl: Impl):
    with pytest.raises(KeyError) as info:
        impl.build(failing).execute(["greeting_line"], inputs={"country": "Peru"})
    notes = getattr(info.value, "__notes__", [])
    if impl.is_hamilton:
        # Hamilton only *logs* which node failed; the exception itself carries no note.
        assert notes == []
        return
    # plait adds a PEP 678 note naming the node and where its function is.
    assert any("country_code" in note for note in notes), notes
    assert any(where(failing.country_code) in note for note in notes), notes


def test_user_defined_exception_class_is_kept(impl: Impl, ham: Impl):
    got, want = both_raise(
        impl,
        ham,
        lambda lib: lib.build(overrides).execute(
            ["events_per_user"], inputs={"source_url": "db://x"}
        ),
    )
    assert type(got) is type(want) is overrides.SourceUnavailable
    assert str(got) == str(want) == "tried to read db://x"


def test_a_node_error_does_not_poison_the_driver(impl: Impl, ham: Impl):
    def run(lib: Impl):
        dr = lib.build(failing)
        with contextlib.suppress(KeyError):
            dr.execute(["greeting_line"], inputs={"country": "Peru"})
        return dr.execute(["greeting_line"], inputs={"country": "Japan"})

    got, want = (run(impl), run(ham))
    assert got == want == {"greeting_line": "hello from JP"}
