-- Visibility stored once. An opening wrote a clue_units row for every unit it showed the clue to, informed and
-- lead/assist alike, and an assignments row for every lead/assist: those units were stored twice (2.29 clue_units
-- rows per routed decision beside 1.92 assignments). An opening now writes clue_units rows only for the units an
-- assignment cannot stand for (informed, or more than one role); a unit whose only role is its assignment's keeps
-- its stream position on that assignment (`stream_seq`, from clue_units' own sequence, so a unit's stream has one
-- ordering). bench:wal (2,000 decisions in batches of 200): see the commit and bench/wal-findings.md #9.
--
-- Readers read `unit_clues`: exactly the rows clue_units held before, (clue_id, unit_id, roles, seq,
-- stream_reason): a unit's clue_units row when it has one, else its positioned assignment, with roles [its role].
-- One position per (clue, unit): only an opening's first assignment of a unit gets `stream_seq`; later assignments
-- (transfers, reassignment, escalation, re-routing) never do and go through clue_units as before. When a unit that
-- holds only a positioned assignment gains another role (supervisor, informed, an assist) or is put back on its
-- stream (a supplement), the same statement moves it into a clue_units row, its full role list in today's order at
-- the same position (or the new one), and clears the assignment's `stream_seq`: a (clue, unit) is in one table
-- only. Existing rows need no backfill: they are all in clue_units already.
--
-- Rolling deploy: an older closure reads clue_units only, so it would not show a lead or assist unit the clues a
-- newer closure opened (its stream, list and detail). Deploy in two steps: first a closure that reads unit_clues
-- and still writes every unit to clue_units (that one's openings leave stream_seq null, so the view gives what it
-- gave), then this writer. During the second step, an older closure's writes to such a unit would not know of the
-- assignment's position: giving it another role (a supervisor, an assist) would add a second row at a new position
-- with that role alone, so the first step must also be the one that moves positions (this code's showCluesTo and
-- restreamClue); its other writes (all in clue_units) read correctly through the view.
alter table assignments add column stream_seq bigint;

-- A unit's stream and list page by (unit_id, seq) over both tables: this index is the second table's half.
create index assignments_stream on assignments (unit_id, stream_seq) where stream_seq is not null;

-- The positioned assignments as clue_units rows. Kept apart from the union below because the planner drives an
-- ordered index scan through this simple view (a join and a LIMIT on it stay index-driven), but not through a
-- UNION ALL branch (on PostgreSQL 15 it sorted all of a unit's assignments): the stream and the list page each
-- table by its own ordered scan and merge the two (src/queries/unit-clue-pages.ts).
create view positioned_assignments as
  select clue_id, unit_id, array[role] as roles, stream_seq as seq, null::text as stream_reason from assignments
  where stream_seq is not null;

-- Every unit a clue reaches, one row each, as clue_units alone held them: the lookups by (clue_id, unit_id) read it.
create view unit_clues as
  select clue_id, unit_id, roles, seq, stream_reason from clue_units
  union all
  select clue_id, unit_id, roles, seq, stream_reason from positioned_assignments;
