-- Conservation of tiltak_gold.uke_oppfolging (CONTRACT §3 "Under oppfølging"), per week of the
-- batch: the distinct persons counted in tiltak_silver.deltakelse_uke (the people behind
-- uke_deltakere) who are under oppfølging that week equal Σ antall_paa_tiltak, and the rows of
-- tiltak_silver.oppfolging_uke equal Σ antall_under_oppfolging. The first is counted by a join
-- on (person_id, uke_start), independently of the paa_tiltak flag. Returns the weeks that differ.
AUDIT (
  name tiltak_oppfolging_bevaring
);

WITH deltakere AS (
  SELECT DISTINCT person_id, uke_start
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

under_oppfolging AS (
  SELECT person_id, uke_start
  FROM tiltak_silver.oppfolging_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

deltakere_under_oppfolging AS (
  SELECT d.uke_start, COUNT(*) AS antall
  FROM deltakere AS d
  JOIN under_oppfolging AS o
    ON o.person_id = d.person_id
    AND o.uke_start = d.uke_start
  GROUP BY d.uke_start
),

silver AS (
  SELECT uke_start, COUNT(*) AS antall
  FROM under_oppfolging
  GROUP BY uke_start
),

gold AS (
  SELECT uke_start, SUM(antall_paa_tiltak) AS paa_tiltak, SUM(antall_under_oppfolging) AS under_oppfolging
  FROM @this_model
  GROUP BY uke_start
),

alle_uker AS (
  SELECT uke_start FROM deltakere_under_oppfolging
  UNION DISTINCT
  SELECT uke_start FROM silver
  UNION DISTINCT
  SELECT uke_start FROM gold
)

SELECT
  a.uke_start,
  d.antall AS deltakere_under_oppfolging,
  g.paa_tiltak AS sum_antall_paa_tiltak,
  s.antall AS oppfolging_uke_rader,
  g.under_oppfolging AS sum_antall_under_oppfolging
FROM alle_uker AS a
LEFT JOIN deltakere_under_oppfolging AS d ON d.uke_start = a.uke_start
LEFT JOIN silver AS s ON s.uke_start = a.uke_start
LEFT JOIN gold AS g ON g.uke_start = a.uke_start
WHERE COALESCE(d.antall, 0) <> COALESCE(g.paa_tiltak, 0)
  OR COALESCE(s.antall, 0) <> COALESCE(g.under_oppfolging, 0)
