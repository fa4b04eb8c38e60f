-- Referential check between tables the seed model joins: every non-null `column` value of this
-- model exists as `target_column` in `target_table`.
AUDIT (name etterlevelse_finnes_i);
SELECT m.@column
FROM @this_model AS m
WHERE m.@column IS NOT NULL
  AND m.@column NOT IN (
    SELECT t.@target_column FROM @target_table AS t WHERE t.@target_column IS NOT NULL
  )
