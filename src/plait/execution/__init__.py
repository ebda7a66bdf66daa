"""Execution of Parallelizable blocks (Hamilton's ``hamilton.execution``)."""
