"""Running newslens' model stages on Dask or Ray workers (see newslens.pipeline.shards)."""
