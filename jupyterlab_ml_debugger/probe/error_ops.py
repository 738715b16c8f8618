"""(being written)"""

from typing import Any, Callable

OPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
