-- A clue's routing reasons, packed, and clocks without the columns no reader reads (issue #16: WAL per routed
-- decision). bench:wal, 2,000 decisions: 6,044 -> 5,902 B per decision with the bench's one-line reasons, 6,528 ->
-- 6,141 B with the router's reasons for its own bench's complaints.
--
-- `clues.reasons` held the router's reasons as jsonb objects: 558 B on average (438-755, pg_column_size) of a clue
-- row of about 1.1 KB. Only the clue's detail shows them. New rows keep them in `reasons_packed`, JSON text of
-- [rule, detail, matched] tuples whose prose marks the matched terms it repeats (packed-reasons.ts): 278 B on
-- average (199-404) for the same reasons, given back unchanged. `reasons` stays for the rows before this migration,
-- and readers take it first when it is set.
--
-- Rolling deploy: an older instance still writes `reasons` (openings, re-routings), which readers prefer, so its rows
-- and its re-routings read right; it cannot show the detail of a clue a newer instance opened or routed again (null
-- `reasons`: its detail answers 500 until it is replaced).
alter table clues alter column reasons drop not null;
alter table clues add column reasons_packed text;
alter table clues add constraint clues_reasons_kept check (reasons is not null or reasons_packed is not null) not valid;

-- Clocks (no DDL): a new clock writes no `remind_at` (no statement reads it; while a clock waits for its reminder,
-- `next_at` holds that moment) and keeps its inputs (`clock_from`, `clock_days`, `clock_unit`) only while it is
-- calendar-pending, the one case that reads them, to compute its dates. 33 B of each row, ~3 rows per decision:
-- deadlines' heap WAL 596 -> 497 B per decision. Older instances read the inputs only of calendar-pending clocks,
-- which still have them, and write both as before.
