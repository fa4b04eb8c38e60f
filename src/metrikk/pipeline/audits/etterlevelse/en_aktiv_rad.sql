-- Exactly one active version per entity (CONTRACT §6): the entity is `columns`, a version is
-- one value of `version_column` (all rows of one saved version share it, e.g. audit_id).
AUDIT (name etterlevelse_en_aktiv_rad);
SELECT @EACH(@columns, c -> c)
FROM @this_model
GROUP BY @EACH(@columns, c -> c)
HAVING COUNT(DISTINCT CASE WHEN aktivRad THEN @version_column END) <> 1
