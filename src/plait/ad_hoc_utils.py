"""Build modules on the fly (notebooks, tests): ``create_temporary_module(fn1, fn2, ...)``."""

from plait._api.adhoc import create_module, create_temporary_module, module_from_source

__all__ = ["create_module", "create_temporary_module", "module_from_source"]
