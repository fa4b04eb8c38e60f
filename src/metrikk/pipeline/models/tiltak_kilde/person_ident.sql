MODEL (
  name tiltak_kilde.person_ident,
  kind VIEW,
  grain ident,
  audits (not_null(columns := (ident, aktor_id, person_id)), unique_values(columns := (ident))),
  description 'Én rad per ident i identitetskilden (PDL): fødselsnummer, d-nummer, npid eller aktør-id, gjeldende eller historisk, med personens pseudonyme nøkkel. Nøkkelen er HMAC av personens gjeldende fødselsnummer (ellers gjeldende npid, ellers gjeldende aktør-id), så alle identene til én person gir samme person_id. Hjelpetabell i kildelaget: den inneholder identer og publiseres aldri.',
  column_descriptions (
    ident = 'En ident slik kildene bruker den: fødselsnummer, d-nummer, npid eller aktør-id (også historiske).',
    aktor_id = 'Personens gjeldende aktør-id; grupperer alle identene til én person.',
    person_id = 'Pseudonym personnøkkel: HMAC-SHA256 (METRIKK_PSEUDONYM_KEY) av nokkel_ident.',
    nokkel_gruppe = 'Hva person_id er laget av: FOLKEREGISTERIDENT (gjeldende fødselsnummer), NPID eller AKTORID.',
    i_flere_personer = 'Sann når identen står hos mer enn én aktør-id i kilden (et avvik); da brukes personen der identen er gjeldende, ellers laveste aktør-id.'
  )
);

/* One group per person (its current aktør-id); the group's own aktør-id is one of its idents
   even when no row lists it. */
WITH identer AS (
  SELECT
    @trimmet(aktor_id) AS aktor_id,
    @trimmet(ident) AS ident,
    UPPER(@trimmet(gruppe)) AS gruppe,
    COALESCE(historisk, FALSE) AS historisk
  FROM @kilde('pdl', 'identer')
  WHERE
    @trimmet(aktor_id) IS NOT NULL
),

alle_identer AS (
  SELECT aktor_id, ident, gruppe, historisk
  FROM identer
  WHERE
    ident IS NOT NULL
  UNION ALL
  SELECT DISTINCT
    aktor_id,
    aktor_id AS ident,
    'AKTORID' AS gruppe,
    FALSE AS historisk
  FROM identer
),

/* The ident the pseudonym is made of: the current fødselsnummer, else the current npid, else the
   current aktør-id (never a historic ident, so a changed fnr does not change person_id). */
nokkel AS (
  SELECT
    aktor_id,
    ident AS nokkel_ident,
    CASE
      WHEN gruppe = 'FOLKEREGISTERIDENT' AND NOT historisk THEN 'FOLKEREGISTERIDENT'
      WHEN gruppe = 'NPID' AND NOT historisk THEN 'NPID'
      ELSE 'AKTORID'
    END AS nokkel_gruppe
  FROM alle_identer
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY aktor_id
    ORDER BY
      CASE
        WHEN gruppe = 'FOLKEREGISTERIDENT' AND NOT historisk THEN 0
        WHEN gruppe = 'NPID' AND NOT historisk THEN 1
        WHEN ident = aktor_id THEN 2
        ELSE 3
      END,
      ident
  ) = 1
),

pseudonym AS (
  SELECT
    aktor_id,
    nokkel_gruppe,
    @pseudonym(nokkel_ident) AS person_id
  FROM nokkel
),

/* An ident listed under several aktør-ids (a fault in the source) belongs to the person where it
   is current, then to the lowest aktør-id. */
ident_person AS (
  SELECT
    ident,
    aktor_id,
    MIN(aktor_id) OVER (PARTITION BY ident) <> MAX(aktor_id) OVER (PARTITION BY ident) AS i_flere_personer
  FROM alle_identer
  QUALIFY ROW_NUMBER() OVER (PARTITION BY ident ORDER BY historisk, aktor_id) = 1
)

SELECT
  CAST(i.ident AS STRING) AS ident,
  CAST(i.aktor_id AS STRING) AS aktor_id,
  CAST(p.person_id AS STRING) AS person_id,
  CAST(p.nokkel_gruppe AS STRING) AS nokkel_gruppe,
  CAST(i.i_flere_personer AS BOOL) AS i_flere_personer
FROM ident_person AS i
JOIN pseudonym AS p
  ON p.aktor_id = i.aktor_id
