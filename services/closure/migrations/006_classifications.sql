-- The commission's choice of category for an unclassified clue (分办, rule 7), one per clue, with the clue's
-- scrubbed text: the pairs [text, category] the router's examples are curated from (GET /v1/classifications).
-- `rerouted_at` is set when the router's new decision for the clue was applied.
create table classifications (
  clue_id text primary key references clues (clue_id),
  complaint_id text not null,
  category text not null,
  text text not null,
  actor text not null,
  classified_at timestamptz not null,
  rerouted_at timestamptz
);

create index classifications_at on classifications (classified_at, clue_id);
