-- A decision that opens a clue is stored once: when the clue's `routed` text (migration 2) holds the decision,
-- `decision` is null and the decision is read from `routed` (`parseStoredDecision` in postgres-batch-statements.ts).
-- Both held the same ~1.1 kB; storing it once cut the router's WAL per decision from 3,305 to 2,409 bytes
-- (bench/wal.ts). Merges, and openings stored without a `routed` text that holds their decision (the CLI, rows from
-- before this version), keep it here. A router older than this version cannot read a null decision: during a
-- rolling deploy, it fails on a redelivered complaint that a newer one opened a clue for.
alter table decisions alter column decision drop not null;
