"""A realistic catalog at scale, written with bulk inserts (``manage.py generate_catalog``).

- ``options``: what a run is asked for, and why a request is refused before anything is written;
- ``writer``: rows with ids given here, by PostgreSQL ``COPY`` or ``executemany``; history
  rows by ``INSERT … SELECT``; the id sequences moved past the new ids;
- ``catalog_rows``, ``pricing_rows``, ``offer_rows``: the rows of a vendor, its products'
  prices and its offers, each obeying the models' rules; ``prices``: the checked prices;
- ``quotes``: a few quotes processed by the selling services; ``run``: one run.
"""

from catalog.generator.options import GeneratorRefused, Options
from catalog.generator.run import Summary, generate

__all__ = ["GeneratorRefused", "Options", "Summary", "generate"]
