-- A routed clue's opening row (`clue.opened` with its assignments in `assigned`, migration 013) repeated facts the
-- clue and assignment rows written in the same transaction hold: the complaint, channel, reporter kind and time
-- received (clues), each assignment's unit, role, track and cause (assignments). Each fact is now stored once: the
-- opening row keeps its event ids, each assignment's id (which row to read) and what later changes the rows: nature,
-- categories, subjects and transfer (a re-routing rewrites them on the clue), the units informed, the acceptance
-- notice's due day, and each assignment's due days (extensions, the calendar and a disposal move them on the row).
-- `bench:wal` (2,000 decisions in batches of 200): ledger_events 1,096 -> 748 B per routed decision, the ledger
-- 5,237-5,250 -> 4,892-4,898 B, records unchanged (37.6).
--
-- The columns read back never change once written, and the triggers below keep it so: a statement that names one in
-- its SET fails (nothing does today; a repair that must would have to drop the trigger, and know that old openings
-- read from the row). `ledger_log` gives every event back as before: a key still stored wins, so rows written before
-- this migration, or by an older closure during a rolling deploy (which stores payloads whole), read as written, and
-- only a row that left a key out is looked up (clue or assignment by primary key, in a subquery: a join's estimate of
-- jsonb_array_elements' 100 rows would hash whole tables for the relay's 1,000 seqs). The time received leaves the
-- payload only in `toISOString()`'s form, the one the view writes; any other is kept.
--
-- What reading costs (PostgreSQL 15, jit off as the services run, 20,000 decisions): the relay's select of 1,000 seqs
-- (1,000 openings, 3,000 events) ~12 -> ~24 ms, about 12 us more per decision, three index lookups and the objects
-- built from them; a whole-log read (the rates' month, a clue's history) about 16 us more per opening.
--
-- Rolling deploy: an older closure beside this one reads the log through this view too, so it sees whole payloads,
-- and it updates none of the refused columns. Rows this closure writes read right only through `ledger_log`, which
-- every reader uses (relay, clue history, rates, the fault audit).
create function refuse_change_of_logged_facts() returns trigger language plpgsql as $$
begin
  raise exception 'ledger_log reads openings from %: its columns % never change (migration 018)',
    tg_table_name, tg_argv[0];
end $$;

create trigger clues_logged_facts before update of clue_id, complaint_id, channel, received_at, reporter_kind
  on clues for each statement
  execute function refuse_change_of_logged_facts('clue_id, complaint_id, channel, received_at, reporter_kind');

create trigger assignments_logged_facts before update of assignment_id, unit_id, role, track, cause
  on assignments for each statement
  execute function refuse_change_of_logged_facts('assignment_id, unit_id, role, track, cause');

create or replace view ledger_log as
  select seq, 0 as part, event_id, stream, clue_id, event,
    case
      when stream <> 'lifecycle' then payload
      when event = 'clue.opened' and not payload ?& array['complaintId', 'channel', 'receivedAt', 'reporterKind'] then
        coalesce((
          select jsonb_build_object('event', event, 'clueId', clue_id,
            'occurredAt', to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'complaintId', c.complaint_id, 'channel', c.channel,
            'receivedAt', to_char(c.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'reporterKind', c.reporter_kind)
          from clues c where c.clue_id = ledger_events.clue_id),
          jsonb_build_object('event', event, 'clueId', clue_id,
            'occurredAt', to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) || payload
      else
        jsonb_build_object('event', event, 'clueId', clue_id,
          'occurredAt', to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || payload
    end as payload,
    note, actor, occurred_at
  from ledger_events
  union all
  select e.seq, a.n::int, a.value ->> 'eventId', e.stream, e.clue_id, 'assignment.assigned',
    case
      when a.value ? 'assignmentId' then
        coalesce((
          select jsonb_build_object(
            'assignment', jsonb_build_object('assignmentId', r.assignment_id, 'unitId', r.unit_id, 'role', r.role,
              'track', r.track),
            'cause', r.cause, 'event', 'assignment.assigned', 'clueId', e.clue_id,
            'occurredAt', coalesce(e.payload -> 'occurredAt',
              to_jsonb(to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
            'actor', e.payload -> 'actor')
          from assignments r where r.assignment_id = a.value ->> 'assignmentId'),
          jsonb_build_object('event', 'assignment.assigned', 'clueId', e.clue_id,
            'occurredAt', coalesce(e.payload -> 'occurredAt',
              to_jsonb(to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
            'actor', e.payload -> 'actor')) || (a.value - array['eventId', 'assignmentId'])
      else (a.value - 'eventId') || jsonb_build_object(
        'event', 'assignment.assigned', 'clueId', e.clue_id,
        'occurredAt', coalesce(e.payload -> 'occurredAt',
          to_jsonb(to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
        'actor', e.payload -> 'actor')
    end,
    null, e.actor, e.occurred_at
  from ledger_events e
    cross join lateral jsonb_array_elements(e.assigned) with ordinality as a (value, n)
  where e.assigned is not null;
