"""The ``explain_error`` op: the last failed cell's exception, explained when it is a shape error."""

from __future__ import annotations

from typing import Any, Callable

from . import shape_explain

Json = dict[str, Any]


def _explain_error(args: Json) -> Json:
    """ShapeErrorReport: ``{"error": ShapeError | None}``; None when no cell has failed."""
    return {"error": shape_explain.explain_last()}


OPS: dict[str, Callable[[Json], Json]] = {"explain_error": _explain_error}
