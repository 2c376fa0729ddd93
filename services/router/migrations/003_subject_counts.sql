-- Rule 5's counts per subject and day (UTC days from the epoch, as `nextDay` in postgres-batch-statements.ts
-- computes them), beside the rows they count: a window's count is the rows of the day it starts in plus the
-- sums of the days after, at most 30 rows, not a scan of every clue in the window, which grew with the
-- history (150,000 clues in a window: 140 ms a batch).
create table subject_counts (
  subject text not null,
  day timestamptz not null,
  clues int not null,
  primary key (subject, day)
);

-- A trigger keeps the counts, so every writer of clue_subjects does, an older router still running during a
-- rolling deploy included; the lock (until this migration commits) keeps rows from slipping between the
-- backfill and the trigger.
lock table clue_subjects in share row exclusive mode;

insert into subject_counts (subject, day, clues)
select subject, date_bin('1 day', opened_at, timestamptz '1970-01-01 00:00:00+00'), count(*)
  from clue_subjects group by 1, 2;

-- The router's connections do not all search its schema: the function keeps the search path it was made with
-- (the router's schema, set by the migration runner), so it finds subject_counts whoever inserts.
create function count_clue_subjects() returns trigger language plpgsql set search_path from current as $$
begin
  insert into subject_counts (subject, day, clues)
  select subject, date_bin('1 day', opened_at, timestamptz '1970-01-01 00:00:00+00'), count(*)
    from inserted_subjects group by 1, 2
  on conflict (subject, day) do update set clues = subject_counts.clues + excluded.clues;
  return null;
end $$;

create trigger clue_subjects_count after insert on clue_subjects
  referencing new table as inserted_subjects for each statement execute function count_clue_subjects();
