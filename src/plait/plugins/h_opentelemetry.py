"""OpenTelemetry spans (Hamilton's ``plugins.h_opentelemetry``): ``OpenTelemetryTracer``.

opentelemetry is imported when the tracer is created: ``pip install "plait[opentelemetry]"``.
"""

from plait._integrations.otel import OpenTelemetryTracer

__all__ = ["OpenTelemetryTracer"]
