"""Two owners stepping down at the same moment must not leave a group without an owner."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from groups import services
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_two_owners_leaving_at_once_leave_one_owner():
    group = GroupFactory()
    owners = [MembershipFactory(group=group, role="owner").user for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def leave(user):
        try:
            barrier.wait()
            services.leave_group(user, group)
            outcomes.append("left")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(owner,)) for owner in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["left", "refused"]
    assert Membership.objects.filter(group=group, role="owner").count() == 1
