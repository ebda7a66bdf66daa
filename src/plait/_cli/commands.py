"""The ``plait`` commands (``click``): each parses its options, asks the public API, prints.

Imported by :func:`plait._cli.main.main` only when the command line runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from plait import __version__
from plait._cli import load, report, show
from plait._cli.errors import CLIError

if TYPE_CHECKING:
    from plait.driver import Driver

F = TypeVar("F", bound=Callable[..., Any])

_MODULES_HELP = "MODULE: a .py file or an importable module name; give one or more."


def _modules(fn: F) -> F:
    return click.argument("modules", nargs=-1, required=True, metavar="MODULE...")(fn)


def _config(fn: F) -> F:
    fn = click.option(
        "--config-file", metavar="FILE.json", help="Config values from a JSON object."
    )(fn)
    return click.option(
        "--config",
        "config_pairs",
        multiple=True,
        metavar="KEY=VALUE",
        help="A config value (a Python literal, else text); repeat for more.",
    )(fn)


def _inputs(fn: F) -> F:
    fn = click.option(
        "--inputs-file", metavar="FILE.json", help="Input values from a JSON object."
    )(fn)
    return click.option(
        "--inputs",
        "input_pairs",
        multiple=True,
        metavar="KEY=VALUE",
        help="An input value (a Python literal; plain text for inputs annotated str); "
        "repeat for more.",
    )(fn)


def _outputs(required: bool) -> Callable[[F], F]:
    return click.option(
        "--outputs", required=required, metavar="A,B", help="Comma-separated node names."
    )


def _json(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")(fn)


def _debug(fn: F) -> F:
    # read by main() (which prints errors); declared here so every command accepts it
    return click.option(
        "--debug", is_flag=True, expose_value=False, help="Show tracebacks on errors."
    )(fn)


def _driver(modules: Sequence[str], config_pairs: Sequence[str], config_file: str | None) -> Driver:
    config = load.config_from(config_pairs, config_file)
    return load.build_driver(load.import_modules(modules), config)


@click.group(
    epilog=_MODULES_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="plait", message="%(prog)s %(version)s")
@_debug
def cli() -> None:
    """Run, inspect, draw and compare plait dataflows."""


@cli.command(epilog=_MODULES_HELP)
@_modules
@_outputs(required=True)
@_inputs
@_config
@_json
@_debug
def run(
    modules: tuple[str, ...],
    outputs: str,
    input_pairs: tuple[str, ...],
    inputs_file: str | None,
    config_pairs: tuple[str, ...],
    config_file: str | None,
    as_json: bool,
) -> int:
    """Compute the --outputs and print them."""
    dr = _driver(modules, config_pairs, config_file)
    wanted = _names(outputs)
    types_ = {v.name: v.type for v in dr.list_available_variables()}
    results = dr.execute(wanted, inputs=load.inputs_from(input_pairs, inputs_file, types_))
    if as_json:
        show.print_json(results)
    else:
        rows = [(k, load.type_label(type(v)), str(v)) for k, v in results.items()]
        show.table(None, ["output", "type", "value"], rows)
    return 0


@cli.command("list", epilog=_MODULES_HELP)
@_modules
@click.option(
    "--tag",
    "tag_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only nodes with this tag value (KEY alone: any value); repeat to narrow.",
)
@_config
@_json
@_debug
def list_(
    modules: tuple[str, ...],
    tag_pairs: tuple[str, ...],
    config_pairs: tuple[str, ...],
    config_file: str | None,
    as_json: bool,
) -> int:
    """List the nodes: name, kind, type, tags, module, file:line."""
    dr = _driver(modules, config_pairs, config_file)
    nodes = dr.list_available_variables(tag_filter=report.tag_filter(tag_pairs) or None)
    rows = [report.node_row(v, dr.config) for v in nodes]
    if as_json:
        show.print_json(rows)
    else:
        report.print_nodes(rows)
    return 0


@cli.command(epilog=_MODULES_HELP)
@_modules
@click.option(
    "--output",
    metavar="FILE",
    help="Write here: .dot (DOT text), or an image (.png, .svg, .pdf ...: needs Graphviz). "
    "Without it the DOT text is printed.",
)
@_outputs(required=False)
@_config
@_debug
def view(
    modules: tuple[str, ...],
    output: str | None,
    outputs: str | None,
    config_pairs: tuple[str, ...],
    config_file: str | None,
) -> int:
    """Draw the dataflow (only what the --outputs need, if given)."""
    if output is not None and not Path(output).suffix:
        raise CLIError(f"--output {output}: name the format by extension (.dot, .svg, .png ...).")
    dr = _driver(modules, config_pairs, config_file)
    wanted = load.names_list(outputs)
    image = output if output and not output.endswith(".dot") else None
    if wanted:
        digraph = dr.visualize_execution(wanted, output_file_path=image, bypass_validation=True)
    else:
        digraph = dr.display_all_functions(output_file_path=image)
    if output is None:
        show.line(digraph.source.rstrip("\n"))
        return 0
    if image is None:
        Path(output).write_text(digraph.source, encoding="utf-8")
    show.line(f"Wrote {output}")
    return 0


@cli.command(epilog=_MODULES_HELP)
@_modules
@_outputs(required=False)
@_inputs
@_config
@_json
@_debug
def validate(
    modules: tuple[str, ...],
    outputs: str | None,
    input_pairs: tuple[str, ...],
    inputs_file: str | None,
    config_pairs: tuple[str, ...],
    config_file: str | None,
    as_json: bool,
) -> int:
    """Check the dataflow builds, has no cycles, and (with --outputs or --inputs) that the
    request has every input it needs, of the right type. Exit 1 if not."""
    config = load.config_from(config_pairs, config_file)
    found = report.validate(
        load.import_modules(modules), config, load.names_list(outputs), input_pairs, inputs_file
    )
    if as_json:
        show.print_json(found)
    else:
        report.print_validation(found)
    return 0 if found["valid"] else 1


@cli.command(epilog=_MODULES_HELP)
@_modules
@click.option("--ref", required=True, metavar="GIT_REF", help="The revision to compare with.")
@_config
@_json
@_debug
def diff(
    modules: tuple[str, ...],
    ref: str,
    config_pairs: tuple[str, ...],
    config_file: str | None,
    as_json: bool,
) -> int:
    """Compare the dataflow with the one at a git revision: nodes added, removed, changed
    (code version), and the nodes downstream of the changed ones."""
    from plait._cli import diff as differ

    config = load.config_from(config_pairs, config_file)
    found = differ.compare(modules, ref, config)
    if as_json:
        show.print_json(found)
    else:
        differ.print_diff(found)
    return 0


@cli.command(epilog=_MODULES_HELP)
@_modules
@click.option("--output", required=True, metavar="FILE.html", help="Where to write it.")
@_config
@_debug
def catalog(
    modules: tuple[str, ...], output: str, config_pairs: tuple[str, ...], config_file: str | None
) -> int:
    """Write the self-contained HTML catalog of every node."""
    dr = _driver(modules, config_pairs, config_file)
    make = getattr(dr, "catalog", None)
    if make is None:
        raise CLIError("This version of plait has no Driver.catalog() yet.")
    make(output)
    show.line(f"Wrote {output}")
    return 0


def _names(outputs: str) -> list[str]:
    wanted = load.names_list(outputs)
    if not wanted:
        raise CLIError("--outputs: name at least one node.", status=2)
    return wanted
