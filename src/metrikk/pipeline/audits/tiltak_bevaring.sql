-- Conservation (CONTRACT §3): per published week, the rows of tiltak_silver.deltakelse_uke,
-- the sum of antall_deltakelser over the cells of tiltak_gold.uke_deltakere and antall_telt in
-- tiltak_gold.uke_datakvalitet are the same number. Returns the weeks where they differ.
AUDIT (
  name tiltak_bevaring
);

WITH telt AS (
  SELECT uke_start, COUNT(*) AS antall
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
  GROUP BY uke_start
),

celler AS (
  SELECT uke_start, SUM(antall_deltakelser) AS antall
  FROM tiltak_gold.uke_deltakere
  WHERE uke_start BETWEEN @start_date AND @end_date
  GROUP BY uke_start
),

datakvalitet AS (
  SELECT uke_start, antall_telt AS antall
  FROM @this_model
  WHERE antall_telt > 0
),

alle_uker AS (
  SELECT uke_start FROM telt
  UNION DISTINCT
  SELECT uke_start FROM celler
  UNION DISTINCT
  SELECT uke_start FROM datakvalitet
)

SELECT
  a.uke_start,
  t.antall AS deltakelse_uke_rader,
  c.antall AS sum_uke_deltakere,
  d.antall AS antall_telt
FROM alle_uker AS a
LEFT JOIN telt AS t ON t.uke_start = a.uke_start
LEFT JOIN celler AS c ON c.uke_start = a.uke_start
LEFT JOIN datakvalitet AS d ON d.uke_start = a.uke_start
WHERE COALESCE(t.antall, 0) <> COALESCE(c.antall, 0)
  OR COALESCE(t.antall, 0) <> COALESCE(d.antall, 0)
