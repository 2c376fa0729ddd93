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
