"""Gateway methods. ``METHODS`` maps each real Alipay method name to its handler and the
top-level response fields it may send; importing this package registers all of them."""

from workstation.sandbox.methods import bills, institutions, org, quotas
from workstation.sandbox.methods._base import METHODS, Context, Method

__all__ = ["METHODS", "Context", "Method", "bills", "institutions", "org", "quotas"]
