"""Finance Workstation — desktop client for Alipay Enterprise Code (支付宝企业码, 因公付款)."""

__version__ = "0.1.0"
