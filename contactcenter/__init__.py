import os

# One BLAS thread per process: each gunicorn worker is its own process, and numpy's
# default of one BLAS thread per core made two workers on two cores spin against each
# other (search over HTTP ran at a third of its speed). Set before numpy is imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
