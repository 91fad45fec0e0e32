"""The city portal's code: Vietnamese text, the domain cores (legal references, access
statistics, feedback, search, images, precompression), the build pipeline, operations
and benchmarks. Pelican glue lives apart, in the top-level `plugins` package."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The portal's own code: a change here can change any page.
CODE_FOLDERS = (PROJECT_ROOT / "cityportal", PROJECT_ROOT / "plugins")
