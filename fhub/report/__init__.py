"""Static HTML performance-cycle report built from the published (suppressed) file."""

from fhub.report.build import build_report

__all__ = ["build_report"]
