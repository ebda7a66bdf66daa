"""The node model: `node_from_function`, `Node`, `Dependency`, `Origin`, `external_node`."""

import dataclasses
import functools
import typing

import pytest

from plait._model.errors import GraphError
from plait._model.node import (
    Dependency,
    Node,
    NodeKind,
    Origin,
    external_node,
    node_from_function,
)


def _where(fn):
    return f"{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"


def test_a_function_becomes_one_node_named_after_it():
    def revenue(orders: int, price: float) -> float:
        """Money taken."""
        return orders * price

    node = node_from_function(revenue)
    assert node.name == "revenue"
    assert node.type is float
    assert node.inputs == (Dependency("orders", int), Dependency("price", float))
    assert node.kind is NodeKind.FUNCTION
    assert not node.is_external
    assert node.callable is revenue
    assert node.documentation == "Money taken."
    assert node.originating_functions == (revenue,)
    assert node.positional is True
    assert dict(node.tags) == {}


def test_origin_is_the_file_and_first_line_of_the_function():
    def f(x: int) -> int:
        return x

    origin = node_from_function(f).get_origin()
    assert origin == Origin(f.__qualname__, __file__, f.__code__.co_firstlineno)
    assert str(origin) == _where(f)
    assert origin.describe() == f"function '{f.__qualname__}' at {_where(f)}"
    assert node_from_function(f).where() == origin.describe()


def test_origin_of_a_callable_without_code_is_unknown():
    origin = Origin.of(functools.partial(int, "3"))
    assert (origin.file, origin.line) == ("<unknown>", 0)


def test_a_node_without_origin_describes_itself_by_name():
    assert Node("x", int).where() == "node 'x'"


def test_name_and_tags_can_be_given():
    def f(x: int) -> int:
        return x

    node = node_from_function(f, name="g", tags={"owner": "me"})
    assert node.name == "g"
    assert dict(node.tags) == {"owner": "me"}
    with pytest.raises(TypeError):
        node.tags["owner"] = "you"  # type: ignore[index]


def test_nodes_are_frozen():
    def f(x: int) -> int:
        return x

    node = node_from_function(f)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.name = "g"  # type: ignore[misc]


def test_missing_return_annotation_is_a_graph_error_with_file_and_line():
    def no_return(x: int):
        return x

    with pytest.raises(GraphError) as info:
        node_from_function(no_return)
    message = str(info.value)
    assert "no return type annotation" in message
    assert _where(no_return) in message
    assert isinstance(info.value, ValueError)


def test_missing_parameter_annotation_names_the_parameter():
    def no_param_type(x: int, y) -> int:
        return x

    with pytest.raises(GraphError) as info:
        node_from_function(no_param_type)
    assert "parameter 'y' has no type annotation" in str(info.value)
    assert _where(no_param_type) in str(info.value)


@pytest.mark.parametrize("kind", ["args", "kwargs"])
def test_var_args_and_var_kwargs_are_rejected(kind):
    def star_args(x: int, *args: int) -> int:
        return x

    def star_kwargs(x: int, **kwargs: int) -> int:
        return x

    fn = star_args if kind == "args" else star_kwargs
    with pytest.raises(GraphError) as info:
        node_from_function(fn)
    assert "*args or **kwargs" in str(info.value)
    assert _where(fn) in str(info.value)


def test_defaults_make_optional_dependencies_aligned_to_their_parameters():
    def f(a: int, b: int = 2, c: str = "x") -> str:
        return c * (a + b)

    assert node_from_function(f).inputs == (
        Dependency("a", int),
        Dependency("b", int, required=False, default=2),
        Dependency("c", str, required=False, default="x"),
    )


def test_keyword_only_parameters_are_inputs_and_not_positional():
    def f(a: int, *, k: int, opt: float = 1.5) -> float:
        return a * k * opt

    node = node_from_function(f)
    assert node.inputs == (
        Dependency("a", int),
        Dependency("k", int),
        Dependency("opt", float, required=False, default=1.5),
    )
    assert node.positional is False


def test_none_default_is_kept_as_an_optional_default():
    def f(a: typing.Optional[int] = None) -> int:  # noqa: UP045 - the typing spelling on purpose
        return a or 0

    (dep,) = node_from_function(f).inputs
    assert (dep.required, dep.default) == (False, None)


def test_string_annotations_resolve_to_real_types():
    namespace: dict = {}
    source = (
        "from __future__ import annotations\n"
        "def f(x: list[int], y: dict[str, float]) -> tuple[int, ...]:\n"
        "    return tuple(x)\n"
    )
    exec(compile(source, "<string-annotations>", "exec"), namespace)
    node = node_from_function(namespace["f"])
    assert node.type == tuple[int, ...]
    assert [d.type for d in node.inputs] == [list[int], dict[str, float]]


def test_an_unresolvable_annotation_names_the_function():
    namespace: dict = {}
    source = "def f(x: 'Missing') -> int:\n    return 1\n"
    exec(compile(source, "<unresolvable>", "exec"), namespace)
    with pytest.raises(GraphError) as info:
        node_from_function(namespace["f"])
    assert "'f'" in str(info.value)
    assert "Missing" in str(info.value)


def test_repr_shows_name_and_type():
    def f(x: int) -> int:
        return x

    assert repr(node_from_function(f)) == "Node('f': int)"


def test_external_node_takes_its_origin_from_the_first_consumer():
    def consumer(x: int) -> int:
        return x

    consumer_node = node_from_function(consumer)
    ext = external_node("x", int, consumer_node)
    assert ext.kind is NodeKind.EXTERNAL
    assert ext.is_external
    assert ext.callable is None
    assert ext.inputs == ()
    assert ext.origin == consumer_node.origin
    assert ext.originating_functions == (consumer,)


def test_fast_constructors_fill_every_field_like_the_dataclass_init():
    import dataclasses

    from plait._model.node import Dependency, Node

    def f(a: int, b: str = "x", *, c: float = 1.0) -> int:
        """Doc."""
        return a

    fast = node_from_function(f, tags={"module": "m"})
    slow = Node(**{fld.name: getattr(fast, fld.name) for fld in dataclasses.fields(Node)})
    for fld in dataclasses.fields(Node):
        assert getattr(fast, fld.name) == getattr(slow, fld.name), fld.name
    assert fast.inputs == (
        Dependency("a", int),
        Dependency("b", str, False, "x"),
        Dependency("c", float, False, 1.0),
    )
    assert fast.positional is False  # a keyword-only parameter
    with __import__("pytest").raises(dataclasses.FrozenInstanceError):
        fast.name = "other"  # type: ignore[misc]


def test_fast_and_general_paths_build_equal_nodes():
    """Plain-class annotations take the tight path; the same function with a string annotation
    takes the general one: the nodes must be field-for-field equal."""

    def f(a: int, b: float) -> int:
        """Doc."""
        return a

    def g(a: int, b: float) -> int:
        """Doc."""
        return a

    g.__annotations__ = {"a": "int", "b": float, "return": int}
    fast, general = node_from_function(f, name="n"), node_from_function(g, name="n")
    for fld in dataclasses.fields(Node):
        if fld.name not in ("callable", "origin", "originating_functions"):
            assert getattr(fast, fld.name) == getattr(general, fld.name), fld.name
    assert type(fast) is Node and type(fast.inputs[0]) is Dependency
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.inputs[0].name = "z"  # type: ignore[misc]


def test_consumers_of_one_input_share_its_dependency_within_a_build():
    def f(x: int) -> int:
        return x

    def g(x: int, y: str) -> int:
        return x

    def h(x: float) -> float:
        return x

    shared: dict[str, Dependency] = {}
    nf, ng, nh = (node_from_function(fn, shared=shared) for fn in (f, g, h))
    assert nf.inputs[0] is ng.inputs[0]  # same name, same type: one object
    assert nh.inputs[0] is not nf.inputs[0]  # same name, another type: its own
    assert nh.inputs[0] == Dependency("x", float)
    assert node_from_function(f).inputs[0] is not nf.inputs[0]  # no sharing across builds


def test_missing_annotations_fail_on_the_fast_path_too():
    def f(x: int, y) -> int:  # type: ignore[no-untyped-def]
        return x

    def g(x: int):  # type: ignore[no-untyped-def]
        return x

    with pytest.raises(GraphError, match="parameter 'y' has no type annotation"):
        node_from_function(f)
    with pytest.raises(GraphError, match="no return type annotation"):
        node_from_function(g)
