"""Bulk export: whole lists to JSON lines or CSV, resumable, safe to run unattended."""

from .files import ExportLocked, ExportRefused
from .job import ExportResult, ExportSpec, ResumeRefused, check_paths, run_export

__all__ = ["ExportLocked", "ExportRefused", "ExportResult", "ExportSpec", "ResumeRefused",
           "check_paths", "run_export"]
