MODEL (
  name tiltak_kilde.tiltakstype,
  kind VIEW,
  grain id,
  description 'Én rad per tiltakstype fra Valp (tiltakstype_view), i kontraktens form (tiltak_bronze.tiltakstype). Viewet har bare tiltakstyper med tiltakskode; Arena-koden er ikke unik og brukes aldri som nøkkel.',
  column_descriptions (
    id = 'Tiltakstypens id i Valp.',
    navn = 'Tiltakstypens navn, f.eks. Arbeidsforberedende trening.',
    tiltakskode = 'Valps tiltakskode, f.eks. ARBEIDSFORBEREDENDE_TRENING.',
    arena_tiltakskode = 'Tiltakskoden i Arena, f.eks. ARBFORB (ikke unik).'
  )
);

SELECT
  CAST(@trimmet(id) AS STRING) AS id,
  CAST(@trimmet(navn) AS STRING) AS navn,
  CAST(@trimmet(tiltakskode) AS STRING) AS tiltakskode,
  CAST(@trimmet(arena_tiltakskode) AS STRING) AS arena_tiltakskode
FROM @kilde('valp', 'tiltakstype_view')
