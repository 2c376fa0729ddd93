create table clues (
  clue_id text primary key,
  seq bigint generated always as identity unique,
  complaint_id text not null unique,
  nature text not null,
  categories text[] not null,
  departments text[] not null,
  towns text[] not null,
  channel text not null,
  received_at timestamptz not null,
  opened_at timestamptz not null,
  text text not null,
  evidence jsonb not null,
  origin jsonb not null,
  reporter_kind text not null check (reporter_kind in ('anonymous', 'real-name')),
  reporter_hash text,
  reporter_identity jsonb,
  receipt_selector text,
  receipt_hash text,
  state text not null,
  reopen_count int not null default 0,
  escalated boolean not null default false,
  transfer_to text,
  transfer_also text[] not null default '{}',
  reasons jsonb not null,
  reply text,
  replied_at timestamptz,
  concluded_at timestamptz,
  fed_back_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz not null
);

-- Receipt look-up finds candidates by a 64-bit selector, then compares the full hash in constant time.
create index clues_receipt_selector on clues (receipt_selector) where receipt_selector is not null;

create index clues_opened_at on clues (opened_at);

create table assignments (
  assignment_id text primary key,
  clue_id text not null references clues (clue_id),
  unit_id text not null,
  role text not null check (role in ('lead', 'assist')),
  track text not null check (track in ('discipline', 'service')),
  state text not null,
  cause text not null,
  disposition text,
  complex boolean not null default false,
  result text,
  summary text,
  reject_reason text,
  transferred_to text,
  assigned_at timestamptz not null,
  responded_at timestamptz,
  concluded_at timestamptz,
  accept_due_on date not null,
  conclude_due_on date,
  updated_at timestamptz not null
);

create index assignments_clue on assignments (clue_id);
create index assignments_unit on assignments (unit_id, assigned_at);

-- Who may see a clue (DESIGN §8), one row per unit; seq orders each unit's stream of new clues.
create table clue_units (
  seq bigint generated always as identity primary key,
  clue_id text not null references clues (clue_id),
  unit_id text not null,
  roles text[] not null,
  unique (clue_id, unit_id)
);

create index clue_units_unit on clue_units (unit_id, seq);

create table deadlines (
  deadline_id bigint generated always as identity primary key,
  clue_id text not null references clues (clue_id),
  assignment_id text references assignments (assignment_id),
  unit_id text,
  kind text not null,
  due_on date not null,
  due_at timestamptz not null,
  remind_at timestamptz not null,
  stage text not null check (stage in ('pending', 'reminded', 'overdue', 'met')),
  next_at timestamptz
);

-- The scan reads only this index: rows with something left to fire, ordered by when. Met and overdue
-- deadlines leave it (next_at null), so its size is the number of live clocks, not of all clocks ever.
create index deadlines_next_at on deadlines (next_at) where next_at is not null;

create index deadlines_assignment on deadlines (assignment_id) where assignment_id is not null;
create index deadlines_clue on deadlines (clue_id);

-- The ledger's history and its transactional outbox in one: written in the same transaction as the
-- change, relayed to Kafka by seq, kept afterwards as the clue's history.
create table ledger_events (
  seq bigint generated always as identity primary key,
  event_id text not null unique,
  stream text not null check (stream in ('lifecycle', 'audit')),
  clue_id text,
  event text not null,
  payload jsonb not null,
  note text,
  actor text,
  occurred_at timestamptz not null,
  published_at timestamptz
);

create index ledger_events_clue on ledger_events (clue_id, seq);

-- The rates read the clues that had any event in a month.
create index ledger_events_occurred on ledger_events (occurred_at);

create index ledger_events_unpublished on ledger_events (seq) where published_at is null;

-- Consumed event ids (ce_source + ce_id), written in the transaction that applies the event.
create table inbox (
  source text not null,
  event_id text not null,
  received_at timestamptz not null default now(),
  primary key (source, event_id)
);

create table call_backs (
  task_id text primary key,
  clue_id text not null references clues (clue_id),
  round int not null,
  state text not null check (state in ('due', 'done')),
  due_at timestamptz not null,
  attempts int not null default 0,
  result text,
  note text,
  operator_id text,
  recorded_at timestamptz,
  created_at timestamptz not null,
  unique (clue_id, round)
);

create index call_backs_due on call_backs (due_at) where state = 'due';

-- Which process runs a singleton loop (outbox relay, deadline scan); expires so a dead holder is replaced.
create table leases (
  name text primary key,
  holder text not null,
  expires_at timestamptz not null
);

create table supervision_orders (
  order_id text primary key,
  clue_id text not null references clues (clue_id),
  deadline_id bigint not null unique references deadlines (deadline_id),
  late_unit text,
  to_unit text not null,
  issued_at timestamptz not null
);
