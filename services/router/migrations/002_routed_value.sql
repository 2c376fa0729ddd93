-- The opening decision's published `ClueRouted` value, republished ahead of every merge into the clue so a
-- supplement never reaches a consumer before its clue. Text, not jsonb: jsonb reorders keys, and the replay
-- must be the same bytes. Null for clues opened before this version or by callers that publish nothing.
alter table clues add column routed text;
