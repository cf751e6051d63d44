from __future__ import annotations

import factory
from django.contrib.auth.models import User

from cplan.accounts.models import Role, RoleAssignment
from cplan.partnerships.models import Membership, Organisation, OrganisationType
from tests.geography.factories import PartnershipFactory


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Borsetshire Health Board {n}")
    slug = factory.Sequence(lambda n: f"borsetshire-health-{n}")
    type = OrganisationType.NHS_BOARD
    is_statutory_partner = True


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CPP_OFFICER
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = None
