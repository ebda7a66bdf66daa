"""``@h_pydantic.check_output()``: check a value against the pydantic model it is annotated with.

.. code-block:: python

    from pydantic import BaseModel
    from plait.plugins import h_pydantic

    class User(BaseModel):
        name: str
        age: int

    @h_pydantic.check_output(importance="fail")
    def user(raw: dict) -> User: ...

Validation is strict (no coercion), since the value flows on unchanged. For a function that
returns a dict, use ``@check_output(model=User)``. pydantic is imported when the decorator is
created.
"""

from plait._modifiers.plugin_checks import pydantic_check_output as check_output

__all__ = ["check_output"]
