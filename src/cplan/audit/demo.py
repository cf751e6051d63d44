"""The audit part of ``cplan demo``: the real Audit Scotland community planning reports (2013,
2014, 2016), their recommendations and the 2018 impact report's ratings."""

from __future__ import annotations

from pathlib import Path

from cplan.audit.import_writer import AuditImportReport
from cplan.audit.services import audit_import

DEMO_ACTOR = "cplan demo"


def audit_demo_load(data_dir: Path) -> AuditImportReport:
    """Import ``data_dir/audit`` (``data_dir`` is the data root, CPLAN_DATA_DIR; the audit folder
    itself is accepted too). Idempotent: a second run changes nothing. Partnership-level rows,
    if any, need the partnerships loaded first (the geography load)."""
    audit_dir = data_dir if (data_dir / "reports.csv").is_file() else data_dir / "audit"
    return audit_import(directory=audit_dir, actor=DEMO_ACTOR)
