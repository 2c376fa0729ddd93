-- A complaint merged into a clue (rule 8) keeps its scrubbed text as a history note; the text as written
-- travels sealed beside it, bound to its own complaint id, and is opened only with the reporter's identity.
create table clue_supplements (
  complaint_id text primary key,
  clue_id text not null references clues (clue_id),
  sealed_original jsonb not null,
  supplemented_at timestamptz not null
);

create index clue_supplements_clue on clue_supplements (clue_id);
