/**
 * Forward-only migrations: a released migration is never edited or removed; a change is a new entry. Each is a
 * list of single statements because PGlite's parameterised protocol runs one statement per call.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "ledger",
    statements: [
      `create table clues (
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
      )`,
      // Receipt look-up finds candidates by a 64-bit selector, then compares the full hash in constant time.
      "create index clues_receipt_selector on clues (receipt_selector) where receipt_selector is not null",
      "create index clues_opened_at on clues (opened_at)",
      `create table assignments (
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
      )`,
      "create index assignments_clue on assignments (clue_id)",
      "create index assignments_unit on assignments (unit_id, assigned_at)",
      // Who may see a clue (DESIGN §8), one row per unit; seq orders each unit's stream of new clues.
      `create table clue_units (
        seq bigint generated always as identity primary key,
        clue_id text not null references clues (clue_id),
        unit_id text not null,
        roles text[] not null,
        unique (clue_id, unit_id)
      )`,
      "create index clue_units_unit on clue_units (unit_id, seq)",
      `create table deadlines (
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
      )`,
      // The scan reads only this index: rows with something left to fire, ordered by when. Met and overdue
      // deadlines leave it (next_at null), so its size is the number of live clocks, not of all clocks ever.
      "create index deadlines_next_at on deadlines (next_at) where next_at is not null",
      "create index deadlines_assignment on deadlines (assignment_id) where assignment_id is not null",
      "create index deadlines_clue on deadlines (clue_id)",
      // The ledger's history and its transactional outbox in one: written in the same transaction as the
      // change, relayed to Kafka by seq, kept afterwards as the clue's history.
      `create table ledger_events (
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
      )`,
      "create index ledger_events_clue on ledger_events (clue_id, seq)",
      // The rates read the clues that had any event in a month.
      "create index ledger_events_occurred on ledger_events (occurred_at)",
      "create index ledger_events_unpublished on ledger_events (seq) where published_at is null",
      // Consumed event ids (ce_source + ce_id), written in the transaction that applies the event.
      `create table inbox (
        source text not null,
        event_id text not null,
        received_at timestamptz not null default now(),
        primary key (source, event_id)
      )`,
      `create table call_backs (
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
      )`,
      "create index call_backs_due on call_backs (due_at) where state = 'due'",
      // Which process runs a singleton loop (outbox relay, deadline scan); expires so a dead holder is replaced.
      `create table leases (
        name text primary key,
        holder text not null,
        expires_at timestamptz not null
      )`,
      `create table supervision_orders (
        order_id text primary key,
        clue_id text not null references clues (clue_id),
        deadline_id bigint not null unique references deadlines (deadline_id),
        late_unit text,
        to_unit text not null,
        issued_at timestamptz not null
      )`,
    ],
  },
  {
    version: 2,
    name: "calendar-pending deadlines",
    statements: [
      // A clock whose due date needs a year the working-day calendar lacks is recorded with the date unknown and
      // the clock's inputs, and computed once an operator adds the year (DESIGN §7: never guessed Monday–Friday).
      "alter table deadlines alter column due_on drop not null",
      "alter table deadlines alter column due_at drop not null",
      "alter table deadlines alter column remind_at drop not null",
      "alter table deadlines add column clock_from timestamptz",
      "alter table deadlines add column clock_days int",
      "alter table deadlines add column clock_unit text check (clock_unit in ('working-days', 'calendar-days'))",
      "alter table deadlines add column calendar_missing_year int",
      `alter table deadlines add constraint deadlines_calendar_pending_inputs
         check (calendar_missing_year is null or (clock_from is not null and clock_days is not null and clock_unit is not null))`,
      "create index deadlines_calendar_pending on deadlines (calendar_missing_year) where calendar_missing_year is not null",
      "alter table assignments alter column accept_due_on drop not null",
    ],
  },
  {
    version: 3,
    name: "outbox table",
    statements: [
      // What the relay has yet to send, by seq, in a table of its own: sending deletes the row. Marking the event
      // (`published_at`) rewrote it, with an entry in four of its five indexes: a tenth of the ledger's database
      // time under load (per-statement CPU in bench/README.md). `published_at` is no longer written.
      "create table ledger_outbox (seq bigint primary key)",
      // A trigger fills it, so every writer of ledger_events does, an older closure still running during a rolling
      // deploy included; the lock (until this migration commits) keeps events from slipping between the backfill
      // and the trigger.
      "lock table ledger_events in share row exclusive mode",
      `create function ledger_events_to_outbox() returns trigger language plpgsql as $$
       begin
         insert into ledger_outbox (seq) select seq from inserted_events;
         return null;
       end $$`,
      `create trigger ledger_events_outbox after insert on ledger_events
         referencing new table as inserted_events for each statement execute function ledger_events_to_outbox()`,
      "insert into ledger_outbox (seq) select seq from ledger_events where published_at is null",
      "drop index ledger_events_unpublished",
    ],
  },
  {
    version: 4,
    name: "sealed original text",
    statements: [
      // The edge scrubs contacts and the reporter's identity out of the free text (DESIGN §8); the original travels
      // sealed beside it, bound to the complaint, and is opened only with the identity, by those who may.
      "alter table clues add column sealed_original jsonb",
    ],
  },
  {
    version: 5,
    name: "sealed originals of supplements",
    statements: [
      // A complaint merged into a clue (rule 8) keeps its scrubbed text as a history note; the text as written
      // travels sealed beside it, bound to its own complaint id, and is opened only with the reporter's identity.
      `create table clue_supplements (
        complaint_id text primary key,
        clue_id text not null references clues (clue_id),
        sealed_original jsonb not null,
        supplemented_at timestamptz not null
      )`,
      "create index clue_supplements_clue on clue_supplements (clue_id)",
    ],
  },
  {
    version: 6,
    name: "classifications",
    statements: [
      // The commission's choice of category for an unclassified clue (分办, rule 7), one per clue, with the clue's
      // scrubbed text: the pairs [text, category] the router's examples are curated from (GET /v1/classifications).
      // `rerouted_at` is set when the router's new decision for the clue was applied.
      `create table classifications (
        clue_id text primary key references clues (clue_id),
        complaint_id text not null,
        category text not null,
        text text not null,
        actor text not null,
        classified_at timestamptz not null,
        rerouted_at timestamptz
      )`,
      "create index classifications_at on classifications (classified_at, clue_id)",
    ],
  },
  {
    version: 7,
    name: "clue evidence",
    statements: [
      // Evidence the ledger keeps beside a clue's own (`clues.evidence`, what the reporter sent through an edge):
      // material a unit adds while investigating (source 'unit'), under a server-made key, with the SHA-256 taken at
      // upload (chain of custody, DESIGN §8), the type judged from its bytes, and who added it when.
      `create table clue_evidence (
        evidence_id text primary key,
        clue_id text not null references clues (clue_id),
        source text not null check (source in ('reporter', 'unit')),
        object_key text not null,
        content_type text not null,
        size_bytes bigint not null check (size_bytes >= 0),
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        unit_id text,
        actor text not null,
        added_at timestamptz not null
      )`,
      "create index clue_evidence_clue on clue_evidence (clue_id, added_at, evidence_id)",
    ],
  },
  {
    version: 8,
    name: "supervision orders as work, extension requests",
    statements: [
      // A supervision order (督办) is work for the late unit: answered (explanation, promised day) by its own
      // deadline, or escalated (提级督办) to the leader the directory names for the unit. Orders written before this
      // migration get no answer deadline and stay open, never escalating by a clock they were not given.
      "alter table supervision_orders add column seq bigint generated always as identity",
      "alter table supervision_orders add column state text not null default 'open' check (state in ('open', 'answered', 'escalated'))",
      "alter table supervision_orders add column answer_due_on date",
      "alter table supervision_orders add column answer_due_at timestamptz",
      "alter table supervision_orders add column explanation text",
      "alter table supervision_orders add column promised_on date",
      "alter table supervision_orders add column answered_by text",
      "alter table supervision_orders add column answered_at timestamptz",
      "alter table supervision_orders add column leader_id text",
      "alter table supervision_orders add column escalated_at timestamptz",
      "create unique index supervision_orders_seq on supervision_orders (seq)",
      // The scan reads only the open orders whose answer is due, by when.
      "create index supervision_orders_answer_due on supervision_orders (answer_due_at) where state = 'open'",
      "create index supervision_orders_late_unit on supervision_orders (late_unit, seq)",
      "create index supervision_orders_leader on supervision_orders (leader_id, seq) where leader_id is not null",
      // 延期申请: a unit asks for more working days on one clock of its assignment; the commission decides.
      `create table extension_requests (
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
      )`,
      // One undecided request per clock: a second waits for the first to be decided.
      "create unique index extension_requests_pending on extension_requests (deadline_id) where state = 'pending'",
      "create index extension_requests_assignment on extension_requests (assignment_id)",
    ],
  },
  {
    version: 9,
    name: "conduct from service failures",
    statements: [
      // Rule 10: each failure of a department's service work once (an assignment overdue on two clocks counts once),
      // and the conduct clue whose pattern cited it, so that cited failures open no second clue.
      `create table service_failures (
        failure_id text primary key,
        kind text not null check (kind in ('overdue', 'dissatisfied', 'return-upheld')),
        department text not null,
        clue_id text not null,
        occurred_at timestamptz not null,
        detail text not null,
        cited_by text
      )`,
      "create index service_failures_department on service_failures (department, occurred_at)",
      // The discipline clues rule 10 opened (the id is chosen here and the router opens the clue with it), for the
      // supplement while one is open and for the red/black ranking.
      `create table conduct_clues (
        clue_id text primary key,
        department text not null,
        detected_at timestamptz not null
      )`,
      "create index conduct_clues_department on conduct_clues (department, detected_at)",
    ],
  },
  {
    version: 10,
    name: "returns and redo",
    statements: [
      // 退回: a unit's return of a misrouted assignment, or a discipline lead's 不予受理, waiting for the commission's
      // review; decided once: upheld (the unit handles it) or reassigned (改派) to another unit's new assignment.
      `create table returns (
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
      )`,
      // One review at a time per assignment: it is `returned` until decided.
      "create unique index returns_pending on returns (assignment_id) where state = 'pending'",
      "create index returns_unit on returns (unit_id, seq)",
      // 发回重办: how often the commission sent the clue back after a conclusion.
      "alter table clues add column redo_count int not null default 0",
    ],
  },
];
