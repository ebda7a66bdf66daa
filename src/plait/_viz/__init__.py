"""Drawing the dataflow with Graphviz (a plug-in: imports ``plait._model`` and ``plait._graph``).

``select`` picks the nodes a view shows (pure); ``style`` holds the colours, shapes and labels;
``syntax`` quotes DOT; ``dot`` turns a graph and a selection into DOT statements (pure);
``render`` wraps them in a ``graphviz.Digraph`` and writes files. Only ``render`` imports the
``graphviz`` package, and only ``plait._api`` imports this package, lazily.
"""
