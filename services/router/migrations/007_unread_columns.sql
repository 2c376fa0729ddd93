-- Columns and index entries no statement reads, written with every decision (issue #16). Bytes per routed decision
-- from bench/wal.ts (2,000 decisions in batches of 200: 0.9 clues per decision, about one subject per clue, a third
-- from real-name reporters): 1,297 B and 9.7 records before this migration, 1,194 B and 9.0 records after.

-- A clue's subject rows are looked up by clue id for one purpose: a real-name reporter's clues and their subjects
-- (rule 8: `readBatch`, `findMergeTarget`). This version writes the clue id only on the rows of such clues (those
-- with a `reporter_hash`), and the index holds only those; rule 5 reads the rows by subject (`clue_subjects_subject`).
-- Rows written before keep their clue id, and a version-6 router beside this one still writes it on every row (and
-- finds a reporter's clues written by this one as before): entries no lookup asks for, nothing missing. The old index
-- is dropped after the new one is built, so the lookup always has one; building it locks `clue_subjects` against
-- writes (a running router waits): 0.7 s for a million rows on the bench machine. The index 83 → 21 B and 0.9 → 0.2
-- records, the subject row 99 → 81 B.
create index clue_subjects_reporter_clue on clue_subjects (clue_id) where clue_id is not null;
drop index clue_subjects_clue;
alter table clue_subjects alter column clue_id drop not null;

-- Read by no statement since version 5 (an opening's text is found by the decision's `clue_id`): left null now.
-- 7 B with the bench's short complaint ids, ~27 B with the edges' 26-character ones.
alter table clues alter column complaint_id drop not null;

-- The decision's time and merge target are in the stored decision (`decision`, or its clue's opening text), which is
-- what every reader parses; the columns were only written. Left null now: the decision row 273 → 257 B.
alter table decisions alter column decided_at drop not null;
