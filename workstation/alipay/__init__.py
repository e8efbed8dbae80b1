"""alipay."""
