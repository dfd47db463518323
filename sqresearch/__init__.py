"""sqresearch: reproducible survey research for community-marketing theses.

The package folders follow the pipeline::

    io -> clean -> measure -> model -> report

``constructs`` (the construct library, frameworks and hypotheses) is data that
every stage may read; ``cli`` and the notebooks sit on top.
"""

__version__ = "0.1.0"
