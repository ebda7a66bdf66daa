"""An edge whose annotations clash: Hamilton refuses to build this graph."""


def row_count(rows: list) -> int:
    """Number of rows, an int."""
    return len(rows)


def row_count_label(row_count: str) -> str:
    """Expects ``row_count`` to be a str: the int producer does not fit."""
    return row_count.upper()


def first_row(rows: list) -> object:
    """A fine node next to the bad edge."""
    return rows[0]
