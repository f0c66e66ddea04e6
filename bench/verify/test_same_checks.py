"""The checks of docs/verification-spec.md written for testinfra (pytest-testinfra), for bench/verify/run.sh to
time against `make verify` on the same host. Same probes, same expectations; no time budgets (testinfra has none):
each check is one attempt, which is what a green run needs.

    pytest -q -p no:cacheprovider --hosts=local:// bench/verify/test_same_checks.py
"""

import json
import time
import urllib.parse
import urllib.request

HOST = "ctrl-linux-01"


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.status, answer.read()


def test_a1_prometheus_runs(host):
    service = host.service("prometheus")
    assert service.is_running
    assert service.is_enabled


def test_a2_node_exporter_runs(host):
    service = host.service("prometheus-node-exporter")
    assert service.is_running
    assert service.is_enabled


def test_b1_prometheus_is_ready():
    assert get("http://127.0.0.1:9090/-/ready")[0] == 200


def test_b2_node_exporter_serves_metrics():
    assert get("http://127.0.0.1:9100/metrics")[0] == 200


def test_b3_ports_accept_connections(host):
    for port in (9090, 9100):
        assert host.addr("127.0.0.1").port(port).is_reachable


def test_c_configuration_carries_the_node_job(host):
    assert host.run("grep -q -E -e %s %s", "job_name: *['\"]?node['\"]?", "/etc/prometheus/prometheus.yml").rc == 0


def test_d_fresh_up_sample():
    query = 'up{job="node",host="%s"}[600s]' % HOST
    status, body = get("http://127.0.0.1:9090/api/v1/query?" + urllib.parse.urlencode({"query": query}))
    assert status == 200
    samples = [value for series in json.loads(body)["data"]["result"] for value in series["values"] if value[1] == "1"]
    assert samples
    assert time.time() - max(float(value[0]) for value in samples) < 90
