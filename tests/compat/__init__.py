"""Compatibility suite: the same user modules (``tests/dags``) through Hamilton and plait."""
