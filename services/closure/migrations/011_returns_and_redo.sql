-- 退回: a unit's return of a misrouted assignment, or a discipline lead's 不予受理, waiting for the commission's
-- review; decided once: upheld (the unit handles it) or reassigned (改派) to another unit's new assignment.
create table returns (
  return_id text primary key,
  seq bigint generated always as identity unique,
  clue_id text not null references clues (clue_id),
  assignment_id text not null references assignments (assignment_id),
  unit_id text not null,
  kind text not null check (kind in ('return', 'reject')),
  reason text not null,
  state text not null check (state in ('pending', 'upheld', 'reassigned')),
  returned_by text not null,
  returned_at timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  reassigned_to text,
  new_assignment_id text references assignments (assignment_id)
);

-- One review at a time per assignment: it is `returned` until decided.
create unique index returns_pending on returns (assignment_id) where state = 'pending';
create index returns_unit on returns (unit_id, seq);

-- 发回重办: how often the commission sent the clue back after a conclusion.
alter table clues add column redo_count int not null default 0;
