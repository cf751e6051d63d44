"""Audit test fixtures: the fictional Borsetshire audit set (``data/valid``), its partnership, and
users holding each audit role."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from cplan.accounts.models import Role
from cplan.partnerships.models import Organisation, Partnership
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.geography.factories import CouncilAreaFactory, PartnershipFactory

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
BAD = DATA / "bad"


def real_audit_dir() -> Path:
    return Path(settings.CPLAN_DATA_DIR) / "audit"


@pytest.fixture
def shared_audit_dir() -> Path:
    if not (real_audit_dir() / "reports.csv").is_file():
        pytest.skip(f"the audit data is not in {real_audit_dir()}")
    return real_audit_dir()


@pytest.fixture
def borsetshire(db: None) -> Partnership:
    council = CouncilAreaFactory(code="S12900001", name="Borsetshire")
    return PartnershipFactory(council_area=council, slug="borsetshire")


@pytest.fixture
def felpersham(db: None) -> Partnership:
    council = CouncilAreaFactory(code="S12900002", name="Felpersham")
    return PartnershipFactory(council_area=council, slug="felpersham")


@pytest.fixture
def audit_set(tmp_path: Path) -> Callable[[str | None], Path]:
    """``audit_set(case)``: a folder with the valid set, overlaid by ``bad/<case>``'s files."""

    def build(case: str | None = None) -> Path:
        target = tmp_path / (case or "valid")
        shutil.copytree(VALID, target)
        if case is not None:
            for path in (BAD / case).glob("*.csv"):
                shutil.copy(path, target / path.name)
        return target

    return build


def user_with_role(
    role: Role,
    *,
    partnership: Partnership | None = None,
    organisation: Organisation | None = None,
    username: str | None = None,
) -> User:
    user = UserFactory(username=username) if username else UserFactory()
    RoleAssignmentFactory(user=user, role=role, partnership=partnership, organisation=organisation)
    return user


@pytest.fixture
def auditor(db: None) -> User:
    return user_with_role(Role.AUDITOR, username="auditor")
