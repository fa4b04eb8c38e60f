/* aktivObservasjon is true on exactly one row per entity (CONTRACT §6, fault 4 of the old job). */
AUDIT (
  name one_aktiv_observasjon,
  blocking true
);

SELECT @entity AS entity, SUM(IF(aktivObservasjon, 1, 0)) AS aktive
FROM @this_model
GROUP BY @entity
HAVING SUM(IF(aktivObservasjon, 1, 0)) <> 1
