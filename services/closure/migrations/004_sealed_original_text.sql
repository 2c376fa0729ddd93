-- The edge scrubs contacts and the reporter's identity out of the free text (DESIGN §8); the original travels
-- sealed beside it, bound to the complaint, and is opened only with the identity, by those who may.
alter table clues add column sealed_original jsonb;
