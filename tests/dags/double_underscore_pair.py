"""Two undecorated functions sharing a ``__`` prefix: two distinct nodes, no clash."""


def size__small(items: list) -> int:
    """Node ``size__small``."""
    return len(items)


def size__large(items: list) -> int:
    """Node ``size__large``."""
    return len(items) * 1000
