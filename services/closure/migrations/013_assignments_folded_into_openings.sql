-- A routed clue's opening and its `assignment.assigned` events (about two per clue) were one log row each: ~600 B of
-- heap, entries in two indexes and an outbox row inserted and deleted, about 1.1 KB of WAL per event (issue #16,
-- services/closure/bench/wal-findings.md). They are written in one statement, at one time, by one actor; the
-- assignments now ride in their opening's row, each with its own event id and only what is not the opening's.
-- Nothing published changes: the relay, the clue's history and the rates read `ledger_log`, which gives every
-- event back as its own row, in the order it was appended (seq, then part).
alter table ledger_events add column assigned jsonb;

-- One row per lifecycle or audit event. `part` is 0 for the row's own event and 1, 2, ... for the assignments
-- folded into it; their payload is the folded fields plus the opening's clue, time and actor.
create view ledger_log as
  select seq, 0 as part, event_id, stream, clue_id, event, payload, note, actor, occurred_at
  from ledger_events
  union all
  select e.seq, a.n::int, a.value ->> 'eventId', e.stream, e.clue_id, 'assignment.assigned',
    (a.value - 'eventId') || jsonb_build_object(
      'event', 'assignment.assigned', 'clueId', e.clue_id, 'occurredAt', e.payload -> 'occurredAt',
      'actor', e.payload -> 'actor'),
    null, e.actor, e.occurred_at
  from ledger_events e
    cross join lateral jsonb_array_elements(e.assigned) with ordinality as a (value, n)
  where e.assigned is not null;
