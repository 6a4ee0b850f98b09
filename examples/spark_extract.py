#!/usr/bin/env python3
"""Runs PolicyLens over a corpus on Spark: articles in (JSON Lines or Parquet with `id`
and `text`, optional `title`, `date`, `file`), items out as Parquet. Each partition is
piped through `policylens extract --stdin`, shipped to the executors with the job, so the
cluster runs the same extractor as the desktop app, with no new code path.

    spark-submit --files target/release/policylens examples/spark_extract.py \\
        articles.jsonl items.parquet
    # local mode, as measured in the README:
    python3 examples/spark_extract.py --binary target/release/policylens \\
        articles.jsonl items.parquet

Every item line carries `record` (the article's id); error lines (a malformed article)
carry `line` and `error` and are written to ITEMS_errors.json instead.
"""
import argparse
import os
import subprocess
import threading
import time

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def pipe_partition(lines):
    """Feeds one partition's JSON lines to the extractor and yields its output lines."""
    binary = SparkFiles.get("policylens")
    os.chmod(binary, 0o755)
    process = subprocess.Popen(
        [binary, "extract", "--stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )

    def feed():
        for line in lines:
            process.stdin.write(line.encode("utf-8") + b"\n")
        process.stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    for out in process.stdout:
        yield out.decode("utf-8")
    writer.join()
    if process.wait() != 0:
        raise RuntimeError(f"policylens exited with {process.returncode}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", help="JSON Lines or Parquet (.parquet) of articles")
    parser.add_argument("items", help="where to write the items (Parquet)")
    parser.add_argument("--binary", help="the policylens binary (local runs; else --files)")
    parser.add_argument("--partitions", type=int, default=0)
    args = parser.parse_args()

    spark = SparkSession.builder.appName("policylens-extract").getOrCreate()
    if args.binary:
        spark.sparkContext.addFile(os.path.abspath(args.binary))
    started = time.time()
    if args.articles.endswith(".parquet"):
        articles = spark.read.parquet(args.articles)
    else:
        articles = spark.read.json(args.articles)
    columns = [c for c in ("id", "text", "title", "date", "file") if c in articles.columns]
    lines = articles.select(*columns).toJSON()
    if args.partitions:
        lines = lines.repartition(args.partitions)
    output = lines.mapPartitions(pipe_partition)
    items = spark.read.json(output)
    items.cache()
    if "error" in items.columns:
        items.filter("error IS NOT NULL").write.mode("overwrite").json(args.items + "_errors.json")
        items = items.filter("error IS NULL").drop("error", "line")
    items.write.mode("overwrite").parquet(args.items)
    count = spark.read.parquet(args.items).count()
    print(f"{count} items from {articles.count()} articles in {time.time() - started:.1f} s")
    spark.stop()


if __name__ == "__main__":
    main()
