"""Small services that run beside the static site."""
