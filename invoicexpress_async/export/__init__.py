"""Bulk export: whole lists to JSON lines or CSV, resumable."""

from .job import ExportResult, ExportSpec, ResumeRefused, run_export

__all__ = ["ExportResult", "ExportSpec", "ResumeRefused", "run_export"]
