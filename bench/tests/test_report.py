"""The report judges every target of the benchmark issue from the measured medians."""

from bench import report


def _scenario(kind: str, rps: float, p99: float = 10.0, **extra) -> dict:
    return {"kind": kind, "rps": rps, "p99_ms": p99, **extra}


def _summary(**overrides) -> dict:
    scenarios = {
        "ref: one row": _scenario("reference", 500),
        "ref: list": _scenario("reference", 300),
        "ref: tutorial detail": _scenario("reference", 200),
        "ref: tutorial list": _scenario("reference", 2),
        "song detail (anon)": _scenario("read", 600, tutorial="ref: tutorial detail"),
        "song detail (user)": _scenario(
            "read", 340, p99=80, tutorial="ref: tutorial detail", reference="ref: one row"
        ),
        "likes, first page": _scenario("read", 100, tutorial="ref: tutorial list"),
        "likes, 90k deep": _scenario("read", 60, tutorial="ref: tutorial list"),
        "play": _scenario("write", 1200),
    }
    summary = {
        "scenarios": scenarios,
        "integrity": {"ok": True},
        "seed_seconds": 100.0,
        "worker_rss_mb": {"setlist": [120.0, 151.0]},
    }
    summary.update(overrides)
    return summary


def _met(summary: dict) -> dict[str, bool]:
    return {row["target"]: row["met"] for row in report.targets(summary)}


def test_each_target_is_judged_against_its_reference():
    met = _met(_summary())

    assert met["song detail (anon) >= 1.0x ref: one row"] is True  # 1.2x
    assert met["song detail (user) >= 0.7x ref: one row"] is False  # 0.68x
    assert met["song detail (anon) >= 3x ref: tutorial detail"] is True
    assert met["song detail (user) >= 3x ref: tutorial detail"] is False  # 1.7x
    assert met["likes, first page >= 3x ref: tutorial list"] is True
    assert met["song detail (user) p99 < 50 ms"] is False
    assert met["play >= 1000/s"] is True
    assert met["likes 90k deep <= 1.5x the first page's time"] is False  # 1.67x
    assert met["seed_demo < 120 s"] is True
    assert met["setlist worker RSS < 150 MB"] is False  # the larger worker counts
    assert met["like and play counts exact"] is True


def test_wrong_counts_and_a_slow_seed_fail():
    met = _met(_summary(integrity={"ok": False}, seed_seconds=240.0))

    assert met["like and play counts exact"] is False
    assert met["seed_demo < 120 s"] is False


def test_the_markdown_lists_the_targets():
    summary = _summary(scale="1m", settings={"connections": 32, "latency_connections": 8})
    summary["settings"]["rounds"] = 3
    summary["settings"]["seconds"] = 10
    for scenario in summary["scenarios"].values():
        scenario.update(rps_spread=[1, 2], p50_ms=1.0, queries=None, non_2xx=0)
    summary["integrity"].update(plays_recorded=1, num_streams_added=1)
    summary["integrity"]["songs_with_wrong_like_count"] = 0
    summary["targets"] = report.targets(summary)

    text = report.markdown(summary)

    assert "| song detail (user) >= 0.7x ref: one row | 0.68x | NO |  |" in text
    assert "| song detail (user) p99 < 50 ms | 80 ms | NO | ref: one row: 10 ms |" in text


def test_absolute_targets_are_shown_beside_a_reference_of_the_same_run():
    summary = _summary()
    summary["scenarios"]["ref: one row"]["p99_ms"] = 120.0
    beside = {row["target"]: row["beside"] for row in report.targets(summary)}

    assert beside["song detail (user) p99 < 50 ms"] == "ref: one row: 120 ms"
    assert beside["play >= 1000/s"] == "2.40x ref: one row"
    assert beside["song detail (user) >= 0.7x ref: one row"] == ""
    assert beside["likes, first page p99 < 50 ms"] == ""  # no reference named


def test_a_read_with_writes_beside_is_reported_against_the_read_alone_and_not_judged():
    summary = _summary()
    summary["scenarios"]["song list (anon)"] = _scenario("read", 800)
    beside = "song list (anon), 20 plays/s beside"
    summary["scenarios"][beside] = _scenario("mixed", 400, p99=90, reference="song list (anon)")

    assert report._ratio(summary, beside) == "0.50x song list (anon)"
    assert not [target for target in _met(summary) if beside in target]
