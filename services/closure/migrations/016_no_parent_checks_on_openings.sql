-- The four foreign keys checked for every row a routed clue opens: its assignments and clocks and visibility rows
-- name their clue, its clocks their assignment. Each check is a query per row (SELECT ... FOR KEY SHARE on the
-- parent) and the first lock of each parent row writes a WAL record. With auto_explain on the openings statement
-- (200 clues: 400 assignments, 600 clocks, 600 visibility rows), the four checks took 21 of its 57 ms; under the
-- system bench that statement is the largest share of PostgreSQL's CPU per complaint (issue #16).
--
-- What they guarded is now held elsewhere: every write to these tables is in the ledger's owner folders
-- (table-owners.test.ts fails on any other writer); they are written only for a clue inserted in the same statement
-- or read under its lock first (`lockClue(s)`, `lockAssignment(s)`); nothing deletes a clue, an assignment or a clock. Every closure
-- integration test, on both engines, now fails if its ledger holds a row without its parent
-- (`rowsWithoutParent`, checked as each test's database is dropped), and so does the fault test's audit.
-- The other foreign keys (supervision orders, returns, call-backs, evidence, classifications) stay: their rows are
-- written one at a time, off the routing path.
-- An older closure running beside this one during a deploy writes the same rows; it never relied on a violation.
alter table assignments drop constraint assignments_clue_id_fkey;
alter table deadlines drop constraint deadlines_clue_id_fkey;
alter table deadlines drop constraint deadlines_assignment_id_fkey;
alter table clue_units drop constraint clue_units_clue_id_fkey;
