-- One row per complaint ever decided: the unique key is what makes redelivery exact (rule 9).
create table decisions (
  complaint_id text primary key,
  decision_id text not null unique,
  clue_id text not null,
  merged_into text,
  decision jsonb not null,
  decided_at timestamptz not null
);

-- One row per clue opened (merged complaints open none); the reporter hash serves rule 8 only.
create table clues (
  clue_id text primary key,
  complaint_id text not null unique references decisions (complaint_id),
  opened_at timestamptz not null,
  reporter_hash text
);
create index clues_reporter on clues (reporter_hash, opened_at) where reporter_hash is not null;

-- The repeat counters of rule 5: a window count is one index range scan per subject.
create table clue_subjects (
  subject text not null,
  opened_at timestamptz not null,
  clue_id text not null references clues (clue_id),
  primary key (subject, opened_at, clue_id)
);
create index clue_subjects_clue on clue_subjects (clue_id);
