"""The evaluation harness: benchmark task pages and files, run at scale and scored."""
