"""Serving the built site: nginx configuration and the single-article preview."""
