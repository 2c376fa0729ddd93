-- Why a clue is on a unit's stream. A clue comes back onto a unit's stream (a new clue_units.seq) when it gives the
-- unit work again, e.g. a supplement reopening the unit's finished lead work (rule 8); the reason says why, for the
-- stream and the list. Null: the clue reached the unit as its roles say (routed, transferred, escalated, informed).
alter table clue_units add column stream_reason text;
