"""Run-event logging (Hamilton's ``plugins.h_logging``): ``LoggingAdapter`` and
``get_logger`` for node functions whose log lines should say which node wrote them.

Standard library only.
"""

from plait._integrations.logs import ContextLogger, LogContext, LoggingAdapter, get_logger

__all__ = ["ContextLogger", "LogContext", "LoggingAdapter", "get_logger"]
