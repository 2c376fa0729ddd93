-- The outbox lists each inserting statement's events in one row, not each event in a row of its own (issue #16,
-- services/closure/bench/wal-findings.md): a listed event cost a heap row and a primary-key entry (~130 B of WAL),
-- then the relay's delete and the page's prune (~60 B). A batch of 200 routed decisions is one statement, so it is
-- one row of 200 seqs now; an inspector's action, one row of one seq as before.
--
-- A row is what its statement inserted that the relay has not yet sent: `seqs`, ascending, never empty;
-- `first_seq` (the statement's smallest seq, kept when the row shrinks) orders and keys the rows. The relay still
-- sends, per batch, the `batch` smallest listed seqs in (seq, part) order (`ledger_log`): every unsent seq of a row
-- is at least its `first_seq`, so the rows it reads are found by their key. A row whose seqs a batch sent only in
-- part keeps the rest (the relay rewrites `seqs`); a row it sent whole is deleted.
--
-- Rolling deploy: an older closure writing events is listed by the trigger as before. An older relay fails loudly:
-- the table it reads and deletes from (`ledger_outbox`) is gone, so each of its turns errs and it sends nothing. The
-- table is renamed on purpose: left in place without its `seq` column, the older relay's `select seq from
-- ledger_outbox` would name the outer `ledger_log.seq` and send the whole ledger. An older relay that sent a batch
-- before this migration and deletes it after fails on the delete; the new relay sends those events again, same ids,
-- as after a crash (consumers dedupe on ce_id).
create table ledger_outbox_statements (
  first_seq bigint primary key,
  seqs bigint[] not null
);

-- No event slips between moving the list and the new trigger function (until this migration commits).
lock table ledger_events in share row exclusive mode;

create or replace function ledger_events_to_outbox() returns trigger language plpgsql as $$
begin
  insert into ledger_outbox_statements (first_seq, seqs)
    select min(seq), array_agg(seq order by seq) from inserted_events having count(*) > 0;
  return null;
end $$;

-- What the relay had yet to send, in rows of 1,000 seqs (its batch): a long backlog does not become one row that
-- each batch rewrites.
insert into ledger_outbox_statements (first_seq, seqs)
  select min(seq), array_agg(seq order by seq)
  from (select seq, (row_number() over (order by seq) - 1) / 1000 as chunk from ledger_outbox) listed
  group by chunk;

drop table ledger_outbox;

-- A lifecycle event's payload no longer repeats its columns: `event` and `clueId` (the `event` and `clue_id` columns)
-- and `occurredAt` (`occurred_at` as JavaScript's toISOString writes it) are left out when they equal them, about
-- 60 B of jsonb per stored event; `ledger_log` puts them back, so every reader sees the payload as before. A key
-- still in the payload wins: rows written before, or by an older closure during a rolling deploy (which stores the
-- whole payload), read back as they were written. The actor stays in the payload: the `actor` column is the
-- authenticated subject behind it, not the same fact. Audit payloads are stored whole, as before.
create or replace view ledger_log as
  select seq, 0 as part, event_id, stream, clue_id, event,
    case when stream = 'lifecycle' then
      jsonb_build_object('event', event, 'clueId', clue_id,
        'occurredAt', to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || payload
    else payload end as payload,
    note, actor, occurred_at
  from ledger_events
  union all
  select e.seq, a.n::int, a.value ->> 'eventId', e.stream, e.clue_id, 'assignment.assigned',
    (a.value - 'eventId') || jsonb_build_object(
      'event', 'assignment.assigned', 'clueId', e.clue_id,
      'occurredAt', coalesce(e.payload -> 'occurredAt',
        to_jsonb(to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
      'actor', e.payload -> 'actor'),
    null, e.actor, e.occurred_at
  from ledger_events e
    cross join lateral jsonb_array_elements(e.assigned) with ordinality as a (value, n)
  where e.assigned is not null;
