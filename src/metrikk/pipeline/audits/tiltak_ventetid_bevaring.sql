-- Conservation of tiltak_gold.uke_ventetid (CONTRACT §3 "Ventetid"), per week of the batch: every
-- counted Komet deltakelse that starts in the week (a deltakelse_uke row with kilde KOMET and
-- startet, as in uke_deltakere.antall_startet) is one row of tiltak_silver.oppstart and one of
-- Σ antall_oppstart, and the ventedager of those rows sum to Σ sum_ventedager. Returns the weeks
-- where they differ.
AUDIT (
  name tiltak_ventetid_bevaring
);

WITH startet AS (
  SELECT uke_start, COUNT(*) AS antall
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
    AND kilde = 'KOMET'
    AND startet
  GROUP BY uke_start
),

silver AS (
  SELECT uke_start, COUNT(*) AS antall, SUM(ventedager) AS ventedager
  FROM tiltak_silver.oppstart
  WHERE uke_start BETWEEN @start_date AND @end_date
  GROUP BY uke_start
),

gold AS (
  SELECT uke_start, SUM(antall_oppstart) AS antall, SUM(sum_ventedager) AS ventedager
  FROM @this_model
  GROUP BY uke_start
),

alle_uker AS (
  SELECT uke_start FROM startet
  UNION DISTINCT
  SELECT uke_start FROM silver
  UNION DISTINCT
  SELECT uke_start FROM gold
)

SELECT
  a.uke_start,
  t.antall AS deltakelse_uke_startet,
  s.antall AS oppstart_rader,
  g.antall AS sum_antall_oppstart,
  s.ventedager AS oppstart_ventedager,
  g.ventedager AS sum_ventedager
FROM alle_uker AS a
LEFT JOIN startet AS t ON t.uke_start = a.uke_start
LEFT JOIN silver AS s ON s.uke_start = a.uke_start
LEFT JOIN gold AS g ON g.uke_start = a.uke_start
WHERE COALESCE(t.antall, 0) <> COALESCE(s.antall, 0)
  OR COALESCE(s.antall, 0) <> COALESCE(g.antall, 0)
  OR COALESCE(s.ventedager, 0) <> COALESCE(g.ventedager, 0)
