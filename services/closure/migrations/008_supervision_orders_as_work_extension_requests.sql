-- A supervision order (督办) is work for the late unit: answered (explanation, promised day) by its own
-- deadline, or escalated (提级督办) to the leader the directory names for the unit. Orders written before this
-- migration get no answer deadline and stay open, never escalating by a clock they were not given.
alter table supervision_orders add column seq bigint generated always as identity;

alter table supervision_orders add column state text not null default 'open' check (state in ('open', 'answered', 'escalated'));
alter table supervision_orders add column answer_due_on date;
alter table supervision_orders add column answer_due_at timestamptz;
alter table supervision_orders add column explanation text;
alter table supervision_orders add column promised_on date;
alter table supervision_orders add column answered_by text;
alter table supervision_orders add column answered_at timestamptz;
alter table supervision_orders add column leader_id text;
alter table supervision_orders add column escalated_at timestamptz;
create unique index supervision_orders_seq on supervision_orders (seq);

-- The scan reads only the open orders whose answer is due, by when.
create index supervision_orders_answer_due on supervision_orders (answer_due_at) where state = 'open';

create index supervision_orders_late_unit on supervision_orders (late_unit, seq);
create index supervision_orders_leader on supervision_orders (leader_id, seq) where leader_id is not null;

-- 延期申请: a unit asks for more working days on one clock of its assignment; the commission decides.
create table extension_requests (
  request_id text primary key,
  seq bigint generated always as identity unique,
  clue_id text not null references clues (clue_id),
  assignment_id text not null references assignments (assignment_id),
  deadline_id bigint not null references deadlines (deadline_id),
  unit_id text not null,
  kind text not null,
  working_days int not null check (working_days > 0),
  reason text not null,
  state text not null check (state in ('pending', 'granted', 'refused')),
  requested_by text not null,
  requested_at timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  previous_due_on date,
  new_due_on date
);

-- One undecided request per clock: a second waits for the first to be decided.
create unique index extension_requests_pending on extension_requests (deadline_id) where state = 'pending';

create index extension_requests_assignment on extension_requests (assignment_id);
