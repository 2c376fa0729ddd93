-- A clock whose due date needs a year the working-day calendar lacks is recorded with the date unknown and
-- the clock's inputs, and computed once an operator adds the year (DESIGN §7: never guessed Monday–Friday).
alter table deadlines alter column due_on drop not null;

alter table deadlines alter column due_at drop not null;
alter table deadlines alter column remind_at drop not null;
alter table deadlines add column clock_from timestamptz;
alter table deadlines add column clock_days int;
alter table deadlines add column clock_unit text check (clock_unit in ('working-days', 'calendar-days'));
alter table deadlines add column calendar_missing_year int;

alter table deadlines add constraint deadlines_calendar_pending_inputs
   check (calendar_missing_year is null or (clock_from is not null and clock_days is not null and clock_unit is not null));

create index deadlines_calendar_pending on deadlines (calendar_missing_year) where calendar_missing_year is not null;
alter table assignments alter column accept_due_on drop not null;
