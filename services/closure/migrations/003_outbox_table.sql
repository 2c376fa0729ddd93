-- What the relay has yet to send, by seq, in a table of its own: sending deletes the row. Marking the event
-- (`published_at`) rewrote it, with an entry in four of its five indexes: a tenth of the ledger's database
-- time under load (per-statement CPU in bench/README.md). `published_at` is no longer written.
create table ledger_outbox (seq bigint primary key);

-- A trigger fills it, so every writer of ledger_events does, an older closure still running during a rolling
-- deploy included; the lock (until this migration commits) keeps events from slipping between the backfill
-- and the trigger.
lock table ledger_events in share row exclusive mode;

create function ledger_events_to_outbox() returns trigger language plpgsql as $$
begin
  insert into ledger_outbox (seq) select seq from inserted_events;
  return null;
end $$;

create trigger ledger_events_outbox after insert on ledger_events
  referencing new table as inserted_events for each statement execute function ledger_events_to_outbox();

insert into ledger_outbox (seq) select seq from ledger_events where published_at is null;
drop index ledger_events_unpublished;
