"""The ``plait`` command line (an outer layer: it uses only the public API).

``main`` is the console script; it imports ``click`` (and ``commands``) when run, so importing
``plait`` never loads the CLI's libraries, and a missing ``cli`` extra is one clear line.
``load`` turns arguments into modules, inputs and config; ``show`` prints tables (``rich``,
imported on use) and JSON; ``diff`` compares the dataflow with the one at a git revision,
loading the old code in a subprocess (``snapshot``). May import: public ``plait`` modules.
"""
