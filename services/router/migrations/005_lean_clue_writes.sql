-- Keys, checks and a column that no statement needs, each written to the WAL with every decision (issue #16). Bytes
-- are per routed decision from bench/wal.ts (5,000 decisions in batches of 200: 0.9 clues per decision, about one
-- subject per clue): 2,409 B and 13.4 records before this migration, 2,062 B and 9.7 records after.

-- Nothing looks a decision up by its id (every reader parses `decision`, or the clue's `routed`), and ids are ULIDs
-- minted per decision: the unique index only cost an index entry per decision, ~94 B and a record.
alter table decisions drop constraint decisions_decision_id_key;

-- Nor does anything read the column, for the same reason: the id is in the stored decision. This version leaves it
-- null, ~24 B of heap per decision; older routers still write it during a rolling deploy, and read only `decision`
-- and `routed`.
alter table decisions alter column decision_id drop not null;

-- A clue row is written by the statement that stores its decision, and only when that decision was stored (the
-- `all_stored` guard in postgres-batch-statements.ts), so the foreign key checked nothing the writer does not; its
-- check locked the decision row (FOR KEY SHARE), a lock record per clue on `decisions`, ~48 B and a record.
alter table clues drop constraint clues_complaint_id_fkey;

-- Likewise a clue's subject rows are written by the statement that writes the clue (a repeated clue id fails on
-- `clues_pkey` there, taking its subject rows with it); the check locked the clue row, ~48 B and a record.
alter table clue_subjects drop constraint clue_subjects_clue_id_fkey;

-- The one reader of `clues.complaint_id` found an opening's `routed` text by it (`routedIfNoDecision`); it now goes by
-- the decision row's `clue_id` on `clues_pkey`. The column is still written, so a router of version 4 still finds the
-- text during a rolling deploy, by a scan of `clues` (for an already decided complaint whose decision is in
-- `routed`: a redelivery). ~80 B and a record.
alter table clues drop constraint clues_complaint_id_key;

-- Rule 5 reads the subject rows by subject and opening time only (counts and opening times, index-only); the clue id
-- made every entry ~28 B longer, and the key's uniqueness guarded nothing the insert does not (subjects are
-- deduplicated per clue, a clue is written once). ~54 B, fewer page splits included. Built before the key is
-- dropped, so the counts never lack an index.
create index clue_subjects_subject on clue_subjects (subject, opened_at);
alter table clue_subjects drop constraint clue_subjects_pkey;
