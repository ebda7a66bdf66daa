"""Data quality: validators for ``@check_output`` (Hamilton's ``data_quality`` package).

``plait.data_quality.base`` holds the classes to write validators with; ``default_validators``
the ones ``@check_output`` builds from its keyword arguments. Implementation:
``plait._modifiers.dq_base``, ``validators`` and ``schema_validators``.
"""
