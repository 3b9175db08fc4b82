"""The copied demo network (tests/demo_network.py) is the one seed_demo makes."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from relationships.models import FollowUp
from tests.demo_network import copied, write_copy

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="elsewhere each test seeds")
def test_content_types_are_found_again_by_name_after_a_flush_renumbers_them():
    """A transactional test's flush recreates the content types with new ids; the copy's
    columns that point at one are written with the current id of the same model."""
    copied()  # read (if not yet) with the content types as they are now
    with connection.cursor() as cursor:
        cursor.execute("UPDATE django_content_type SET id = id + 1000")  # as after a flush
        cursor.execute("UPDATE auth_permission SET content_type_id = content_type_id + 1000")
    ContentType.objects.clear_cache()
    try:
        write_copy()
        assert FollowUp.objects.exists()
        models = set(FollowUp.objects.values_list("source_type__model", flat=True))
        assert models == {"oneonone"}
    finally:
        ContentType.objects.clear_cache()
