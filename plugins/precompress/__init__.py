"""Precompressed .gz/.br siblings for a built site; run after every step that writes output."""
from .compress import CompressionReport, compress_tree, manifest_for

__all__ = ["CompressionReport", "compress_tree", "manifest_for"]
