"""An InvoiceXpress-compatible server for tests, demos and benchmarks.

Speaks the API's wire format with its quirks (string client ids, string item
prices, dd/mm/yyyy, root keys, ``pagination``, the real error bodies) and can
add latency, a per-account rate limit and faults on purpose.
"""

from .app import FAULT_KINDS, SandboxRateLimit, Settings
from .server import Sandbox
from .state import Account

__all__ = ["FAULT_KINDS", "Account", "Sandbox", "SandboxRateLimit", "Settings"]
