"""The cluster supervisor's /metrics and /readyz: two real child servers on 127.0.0.1, merged."""

from __future__ import annotations

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from bot.operations import ClusterMetrics, Metrics, OperationsServer, Probes, child_address, children_not_ready


def test_child_addresses_follow_the_supervisors_port():
    """Child i serves on the supervisor's port + 1 + i, same host."""
    assert [child_address("127.0.0.1:9464", i) for i in range(3)] == [
        "127.0.0.1:9465", "127.0.0.1:9466", "127.0.0.1:9467"]
    assert child_address("[::1]:9000", 0) == "[::1]:9001"


def test_the_supervisor_merges_its_childrens_metrics_and_readiness():
    """Child 0 answered twice, child 1 once and is not ready: the merged exposition parses, each sample
    carries its child; /readyz names the child that is not ready; a child that is down scrapes as up 0."""
    children = []
    for answered, problems in ((2, []), (1, ["gateway not connected yet"])):
        metrics = Metrics()
        for _ in range(answered):
            metrics.answer("answered", "fast", 0.01)
        server = OperationsServer("127.0.0.1:0", Probes(lambda: True, lambda p=problems: p), metrics)
        server.start()
        children.append(server)
    try:
        addresses = [f"127.0.0.1:{server.port}" for server in children]
        supervisor = OperationsServer("127.0.0.1:0", Probes(lambda: True, lambda: children_not_ready(addresses)),
                                      ClusterMetrics(addresses))
        supervisor.start()
        try:
            url = f"http://127.0.0.1:{supervisor.port}"
            text = urllib.request.urlopen(f"{url}/metrics", timeout=5).read().decode()
            try:
                urllib.request.urlopen(f"{url}/readyz", timeout=10)
                ready = (200, "")
            except urllib.error.HTTPError as error:
                ready = (error.code, error.read().decode())
            children[1].stop()
            after = urllib.request.urlopen(f"{url}/metrics", timeout=5).read().decode()
        finally:
            supervisor.stop()
    finally:
        for server in children:
            server.stop()
    samples = [s for f in text_string_to_metric_families(text) for s in f.samples]
    answered = {s.labels["child"]: s.value for s in samples if s.name == "article_bot_answers_total"
                and s.labels["outcome"] == "answered" and s.labels["route"] == "fast"}
    assert answered == {"0": 2.0, "1": 1.0}
    assert {s.labels["child"] for s in samples if s.name == "process_resident_memory_bytes"} == {"0", "1"}
    assert ready[0] == 503 and "child 1" in ready[1] and "gateway not connected yet" in ready[1]
    assert "child 0" not in ready[1]
    up = {s.labels["child"]: s.value for f in text_string_to_metric_families(after) for s in f.samples
          if s.name == "article_bot_cluster_child_up"}
    assert up == {"0": 1.0, "1": 0.0}
