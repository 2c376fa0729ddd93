-- Rule 10: each failure of a department's service work once (an assignment overdue on two clocks counts once),
-- and the conduct clue whose pattern cited it, so that cited failures open no second clue.
create table service_failures (
  failure_id text primary key,
  kind text not null check (kind in ('overdue', 'dissatisfied', 'return-upheld')),
  department text not null,
  clue_id text not null,
  occurred_at timestamptz not null,
  detail text not null,
  cited_by text
);

create index service_failures_department on service_failures (department, occurred_at);

-- The discipline clues rule 10 opened (the id is chosen here and the router opens the clue with it), for the
-- supplement while one is open and for the red/black ranking.
create table conduct_clues (
  clue_id text primary key,
  department text not null,
  detected_at timestamptz not null
);

create index conduct_clues_department on conduct_clues (department, detected_at);
