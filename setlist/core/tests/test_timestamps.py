"""Timestamps are written as API.md promises: ISO 8601 in UTC, ending in `Z`."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone as django_timezone
from rest_framework import serializers

from setlist.core.fields import UTCDateTimeField, utc_timestamp

MOMENTS = [
    datetime(2026, 12, 7, 6, 14, 46, 25337, tzinfo=UTC),
    datetime(2026, 12, 7, 6, 14, 46, tzinfo=UTC),  # no fraction: none written
    datetime(2026, 12, 7, 8, 14, 46, 500000, tzinfo=timezone(timedelta(hours=2))),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/New_York")),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_writes_what_drfs_field_writes_in_utc(moment):
    assert utc_timestamp(moment) == serializers.DateTimeField().to_representation(moment)
    assert UTCDateTimeField().to_representation(moment) == utc_timestamp(moment)


def test_converts_other_offsets_to_utc():
    moment = datetime(2026, 12, 7, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    assert utc_timestamp(moment) == "2026-12-07T06:00:00Z"


def test_stays_utc_whatever_time_zone_is_active():
    moment = datetime(2026, 12, 7, 6, 0, 0, 1, tzinfo=UTC)
    with django_timezone.override(ZoneInfo("Asia/Tokyo")):
        assert UTCDateTimeField().to_representation(moment) == "2026-12-07T06:00:00.000001Z"


def test_naive_values_and_nothing_are_left_to_drf():
    naive = datetime(2026, 12, 7, 6, 0)
    field = UTCDateTimeField()
    assert field.to_representation(naive) == serializers.DateTimeField().to_representation(naive)
    assert field.to_representation(None) is None
