"""Operating the bot: Prometheus metrics (:mod:`.metrics`, prometheus_client imported only when METRICS_ADDR
is set), the request id that follows a question through its log lines (:mod:`.requests`), and the small HTTP
server for ``/metrics``, ``/healthz`` and ``/readyz`` (:mod:`.server`). A layer low enough for the store,
the door and the gateway to report into; it imports only the shared helpers at ``bot/`` top.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.faces import lazy_face

if TYPE_CHECKING:
    from .cluster import ClusterMetrics as ClusterMetrics
    from .cluster import child_address as child_address
    from .cluster import children_not_ready as children_not_ready
    from .metrics import Metrics as Metrics
    from .metrics import active_metrics as active_metrics
    from .requests import Request as Request
    from .requests import current_request as current_request
    from .requests import new_request as new_request
    from .server import OperationsServer as OperationsServer
    from .server import Probes as Probes

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "ClusterMetrics": "cluster",
    "Metrics": "metrics",
    "OperationsServer": "server",
    "Probes": "server",
    "Request": "requests",
    "active_metrics": "metrics",
    "child_address": "cluster",
    "children_not_ready": "cluster",
    "current_request": "requests",
    "new_request": "requests",
}

__all__ = [
    "ClusterMetrics",
    "Metrics",
    "OperationsServer",
    "Probes",
    "Request",
    "active_metrics",
    "child_address",
    "children_not_ready",
    "current_request",
    "new_request",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
