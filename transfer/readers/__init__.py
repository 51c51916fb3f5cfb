"""Readers of bookmark and annotation exports, one module per family of formats."""
