"""The inquiries' own people and rows, beside the personas of the root conftest."""

import pytest

from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from inquiries.tests.factories import InquiryFactory


@pytest.fixture
def other_operator(db):
    return UserFactory(username="other_operator", role=Role.OPERATOR)


@pytest.fixture
def inquiry(operator):
    """A call the `operator` took."""
    return InquiryFactory(operator=operator)
