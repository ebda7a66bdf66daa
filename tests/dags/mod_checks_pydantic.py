"""pydantic checks: ``@check_output(model=...)`` and ``@h_pydantic.check_output()``.

Written against plait; the compat harness runs it through Hamilton (``harness.load_dag``).
Inputs: ``age`` (int), ``age_text`` (str: any string fails the strict ``int`` check).
"""

from typing import Any

from pydantic import BaseModel

from plait.function_modifiers import check_output
from plait.plugins import h_pydantic


class User(BaseModel):
    name: str
    age: int


@h_pydantic.check_output(importance="fail")
def user(age: int) -> User:
    # pydantic does not re-check model instances; a dict in the model's shape is checked
    return User(name="ada", age=age) if age >= 0 else {"name": "ada", "age": "unknown"}


@check_output(model=User)
def user_record(user: User, age_text: str) -> dict[str, Any]:
    return {"name": user.name, "age": age_text}
