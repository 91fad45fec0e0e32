"""Portal build benchmark against stock Pelican on synthetic content."""
