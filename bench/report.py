"""The benchmark's outputs: a markdown table and a PNG chart, both from results.json."""

from pathlib import Path


def _ratio(summary: dict, name: str) -> str:
    scenario = summary["scenarios"][name]
    reference = scenario.get("reference")
    if not reference or reference not in summary["scenarios"]:
        return ""
    base = summary["scenarios"][reference]["rps"]
    return f"{scenario['rps'] / base:.2f}x {reference}" if base else ""


def _tutorial_ratio(summary: dict, name: str) -> str:
    scenarios = summary["scenarios"]
    tutorial = (
        scenarios.get("ref: tutorial list")
        if "list" in name
        else scenarios.get("ref: tutorial detail")
    )
    if not tutorial or scenarios[name]["kind"] != "read" or not tutorial["rps"]:
        return ""
    return f"{scenarios[name]['rps'] / tutorial['rps']:.1f}x"


def markdown(summary: dict) -> str:
    lines = [
        f"Scale {summary['scale']}, {summary['settings']['connections']} connections "
        f"(p50 at {summary['settings']['latency_connections']}), "
        f"{summary['settings']['rounds']} interleaved rounds of "
        f"{summary['settings']['seconds']} s; "
        "medians, with the spread of req/s.",
        "",
        "| scenario | req/s | spread | vs reference | vs tutorial DRF | p50 ms | p99 ms | "
        "queries | non-2xx |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in summary["scenarios"].items():
        lines.append(
            f"| {name} | {s['rps']:.0f} | {s['rps_spread'][0]:.0f} to {s['rps_spread'][1]:.0f} | "
            f"{_ratio(summary, name)} | {_tutorial_ratio(summary, name)} | {s['p50_ms']:.2f} | "
            f"{s['p99_ms']:.2f} | {'' if s['queries'] is None else s['queries']} | {s['non_2xx']} |"
        )
    integrity = summary["integrity"]
    lines += [
        "",
        f"Worker RSS after the run (MB): {summary['worker_rss_mb']}",
        f"Counts after the writes: {'exact' if integrity['ok'] else 'WRONG'} "
        f"({integrity['plays_recorded']} plays recorded, {integrity['num_streams_added']} "
        f"streams counted, {integrity['songs_with_wrong_like_count']} songs with a wrong "
        "like count)",
        f"seed_demo: {summary['seed_seconds']} s (0 when the dataset was already there)",
    ]
    return "\n".join(lines) + "\n"


def chart(summary: dict, path: Path) -> None:
    """Bar chart of req/s and p99 per scenario; skipped when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed; no chart")
        return
    names = list(summary["scenarios"])
    rps = [summary["scenarios"][n]["rps"] for n in names]
    p99 = [summary["scenarios"][n]["p99_ms"] for n in names]
    colours = [
        "#999999" if summary["scenarios"][n]["kind"] == "reference" else "#1f77b4" for n in names
    ]
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(12, 9), sharex=True)
    top.bar(names, rps, color=colours)
    top.set_ylabel("requests / s (median)")
    top.set_title(f"Setlist vs references — scale {summary['scale']}")
    bottom.bar(names, p99, color=colours)
    bottom.set_ylabel("p99 latency, ms")
    bottom.axhline(50, color="red", linewidth=0.8, linestyle="--")
    plt.setp(bottom.get_xticklabels(), rotation=45, ha="right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
