"""RENDER: one module per output format."""
