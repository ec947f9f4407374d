"""The batch: every notebook for every department-year, in parallel, incremental, losing nothing.

- ``catalogue``: the notebooks under ``notebooks/``, their titles, order and imports (one registry);
- ``params``: the papermill parameter files; ``plan``: the jobs and their input hashes;
- ``worker``: one job in a worker process (papermill, then the HTML); ``kernels``: warm kernels forked from a zygote;
- ``runner``: the pool (or a Dask cluster), the manifest and the index; ``manifest``: ``outputs/manifest.json``;
  ``index``: ``outputs/index.html``.
"""
