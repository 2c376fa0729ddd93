-- The index assignments_unit (unit_id, assigned_at) answered one query only: which of a caller's units the router
-- (or escalation) ever put on a discipline track, asked when a unit holding a transfer lead opens a reporter's
-- identity (services/closure/src/access/read-reporter-access.ts). Every other read of assignments names the clue or
-- the assignment. The index took an entry per assignment: bench:wal (2,000 decisions in batches of 200) went from
-- 5,249.6 B and 37.6 records per routed decision to 5,094.6 B and 35.6 records, the new set's 4.3 B included (its
-- first sightings in an empty ledger; nothing once its units are known). On a million assignments the question read
-- 3,741 buffers by the index (16 ms); it reads one page of the set now.
--
-- That answer is a set of a few hundred units (the directory's discipline bodies) that grows only when a unit first
-- gets such an assignment, so it is kept as that set: `discipline_bodies` takes a row the first time, and a unit
-- seen before writes nothing (ON CONFLICT DO NOTHING finds the key first and inserts no tuple, so no WAL).
--
-- A statement trigger keeps it, not the closure's code, so every writer of assignments fills it: an older closure
-- during a rolling deploy (which knows nothing of this table) included. Units are taken in id order, so two
-- statements meeting two new units at once wait on each other in one order and cannot deadlock. An older closure
-- reading the set during the deploy still asks assignments itself, by a sequential scan now, with the same answer.
-- The trigger runs once a statement, not a row: in a loop of inserts on a scratch schema (a shared, noisy machine) a
-- 400-row insert took ~0.15 ms more than with the index (under 1 µs per routed decision), a one-row insert (a
-- transfer's) ~14 µs more.
create table discipline_bodies (
  unit_id text primary key
);

-- No assignment slips between the backfill and the trigger (until this migration commits).
lock table assignments in share row exclusive mode;

create function assignments_to_discipline_bodies() returns trigger language plpgsql as $$
begin
  insert into discipline_bodies (unit_id)
    select distinct unit_id from inserted_assignments
    where track = 'discipline' and cause in ('routing', 'escalation')
    order by unit_id
    on conflict do nothing;
  return null;
end $$;

create trigger assignments_discipline_bodies after insert on assignments
  referencing new table as inserted_assignments for each statement execute function assignments_to_discipline_bodies();

insert into discipline_bodies (unit_id)
  select distinct unit_id from assignments where track = 'discipline' and cause in ('routing', 'escalation');

drop index assignments_unit;
