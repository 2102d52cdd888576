"""Store adapters: the shared contract and adapter-specific behaviour."""
