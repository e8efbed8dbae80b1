"""A faithful local Alipay gateway (classic ``gateway.do``) on loopback, with demo data, a
spending simulator, signed notifications and fault injection. No Qt, no app database."""

from workstation.sandbox.faults import Faults
from workstation.sandbox.methods import METHODS
from workstation.sandbox.server import SandboxServer, SimEvent

__all__ = ["METHODS", "Faults", "SandboxServer", "SimEvent"]
