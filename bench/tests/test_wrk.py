"""The harness reads wrk's report correctly and never points load at another host."""

import pytest

from bench import wrk

REPORT = """Running 2s test @ http://127.0.0.1:8799/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.24ms    4.20ms  19.88ms   67.46%
    Req/Sec   558.55    174.51     0.92k    60.00%
  Latency Distribution
     50%  812.00us
     75%    9.37ms
     90%   13.96ms
     99%    1.20s
  1114 requests in 2.00s, 1.33MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    556.37
Transfer/sec:    682.42KB
"""


def test_parse_reads_throughput_percentiles_and_errors():
    # wrk pads some percentile lines with trailing spaces.
    result = wrk.parse(REPORT.replace("812.00us", "812.00us   "))
    assert result.requests == 1114
    assert result.seconds == pytest.approx(2.0)
    assert result.rps == pytest.approx(556.37)
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.non_2xx == 7
    assert result.socket_errors == 3


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:8000/", "http://192.168.1.2/", "http://example.com/"]
)
def test_only_loopback_is_ever_a_target(url):
    with pytest.raises(ValueError, match="loopback only"):
        wrk.run(url, connections=1, seconds=1)
