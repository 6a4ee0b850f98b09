-- The analysis side: the items a pipe run wrote, read by DuckDB straight from JSON Lines
-- (or from the Spark job's Parquet with read_parquet('items.parquet/*.parquet')).
--   policylens extract --stdin < articles.jsonl > items.jsonl
--   duckdb < examples/duckdb_items.sql
CREATE VIEW items AS SELECT * FROM read_json('items.jsonl', format = 'newline_delimited');

-- Items per kind.
SELECT kind, count(*) AS items FROM items WHERE kind IS NOT NULL GROUP BY kind ORDER BY items DESC;

-- The districts with the most announced project investment (亿元), each project once per
-- article.
SELECT district, round(sum(amount_yuan) / 1e8, 2) AS investment_yi, count(*) AS projects
FROM (SELECT DISTINCT record, district, text, amount_yuan FROM items
      WHERE kind = 'project' AND amount_yuan IS NOT NULL AND district IS NOT NULL)
GROUP BY district ORDER BY investment_yi DESC LIMIT 10;
