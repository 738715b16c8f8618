"""Crash reports kept as JSON files in the Jupyter runtime directory, so they outlive the kernel's
automatic restart, a page reload and the server itself, until the user dismisses them."""

from __future__ import annotations

import glob
import json
import os
import re
from typing import Any

from .kernel_files import report_path

Json = dict[str, Any]
REPORT_ID = re.compile(r"^[0-9a-f]{32}$")


class ReportStore:
    """The reports of one runtime directory."""

    def __init__(self, runtime_dir: str) -> None:
        self.runtime_dir = runtime_dir

    def save(self, report: Json) -> None:
        """Write a report whole (never half of one, for a reader at the same moment)."""
        path = report_path(self.runtime_dir, report["id"])
        partial = path + ".partial"
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(report, out)
        os.replace(partial, path)

    def all(self) -> list[Json]:
        """Every readable report, newest first."""
        reports = []
        for path in glob.glob(report_path(self.runtime_dir, "*")):
            try:
                with open(path, encoding="utf-8") as handle:
                    report = json.load(handle)
            except (OSError, ValueError):
                continue
            if isinstance(report, dict) and isinstance(report.get("kernel_id"), str):
                reports.append(report)
        return sorted(reports, key=lambda r: str(r.get("ended_at", "")), reverse=True)

    def of_kernel(self, kernel_id: str) -> list[Json]:
        """The reports of one kernel id, newest first."""
        return [r for r in self.all() if r["kernel_id"] == kernel_id]

    def remove(self, report_id: str) -> bool:
        """Dismiss one report; False when there is no such report."""
        if not REPORT_ID.match(report_id):
            return False
        try:
            os.remove(report_path(self.runtime_dir, report_id))
        except FileNotFoundError:
            return False
        return True
