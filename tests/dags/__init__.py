"""Hamilton-style user modules shared by the compat suite.

Each module is what a user would hand to ``Driver``/``Builder``: plain functions whose
names are nodes and whose parameters are their dependencies. They import neither
``hamilton`` nor ``plait``, so the very same module objects are fed to both libraries.
"""
