-- Indexes no query needs, each a write on every insert (issue #16: WAL per routed decision). Measured with
-- pg_walinspect under bench/system.mjs, a routed decision wrote about 8.7 KB of ledger WAL, 43 % of it index entries.
--
-- ledger_events.event_id: no statement looks an event up by its id or relies on its uniqueness (ids are ULIDs made
-- by one factory; consumers dedupe on ce_id). About 290 B per decision.
alter table ledger_events drop constraint ledger_events_event_id_key;

-- clues.opened_at: no query filters or orders clues by it (lists page by seq). About 67 B per decision.
drop index clues_opened_at;

-- ledger_events.occurred_at: only the monthly rates read a range of it, and events are appended in time order, so a
-- block-range index answers that range as well at a fraction of the writes. About 190 B per decision.
drop index ledger_events_occurred;
create index ledger_events_occurred on ledger_events using brin (occurred_at);

-- clue_units: a unit's stream pages by (unit_id, seq) and every write names (clue_id, unit_id); nothing looks a row
-- up by seq alone, which an identity column keeps unique by construction. The pair becomes the primary key and the
-- index on seq goes. About 200 B per decision.
alter table clue_units drop constraint clue_units_pkey;
alter table clue_units drop constraint clue_units_clue_id_unit_id_key;
alter table clue_units add constraint clue_units_pkey primary key (clue_id, unit_id);
