"""Date formats of the interface: one short day format across the library and search."""
