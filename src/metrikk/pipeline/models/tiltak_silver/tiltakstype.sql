MODEL (
  name tiltak_silver.tiltakstype,
  kind FULL,
  grain id,
  audits (
    not_null(columns := (id, navn, tiltakskode, tiltakskategori)),
    unique_values(columns := (id)),
    accepted_values(column := tiltakskategori, is_in := ('GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER', 'EGEN_REGI'))
  ),
  description 'Én rad per tiltakstype fra Valp, med tiltakskategori utledet av tiltakskoden.',
  column_descriptions (
    id = 'Tiltakstypens id i Valp.',
    navn = 'Tiltakstypens navn, f.eks. Oppfølging.',
    tiltakskode = 'Valps tiltakskode, f.eks. OPPFOLGING.',
    arena_tiltakskode = 'Arenas tiltakskode; ikke unik (GRUPPEAMO deles av flere tiltakskoder).',
    tiltakskategori = 'GRUPPE, ENKELTPLASS, ARBEIDSGIVER eller EGEN_REGI, utledet av tiltakskoden.'
  )
);

WITH tiltakstyper AS (
  SELECT
    @uten_blanke(id) AS id,
    @uten_blanke(navn) AS navn,
    UPPER(@uten_blanke(tiltakskode)) AS tiltakskode,
    NULLIF(UPPER(@uten_blanke(arena_tiltakskode)), '') AS arena_tiltakskode
  FROM tiltak_bronze.tiltakstype
  QUALIFY ROW_NUMBER() OVER (PARTITION BY @uten_blanke(id) ORDER BY tiltakskode, navn) = 1
)

SELECT
  CAST(id AS STRING) AS id,
  CAST(navn AS STRING) AS navn,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(arena_tiltakskode AS STRING) AS arena_tiltakskode,
  CAST(@tiltakskategori(tiltakskode) AS STRING) AS tiltakskategori
FROM tiltakstyper
