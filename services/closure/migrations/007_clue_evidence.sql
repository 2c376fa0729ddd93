-- Evidence the ledger keeps beside a clue's own (`clues.evidence`, what the reporter sent through an edge):
-- material a unit adds while investigating (source 'unit'), under a server-made key, with the SHA-256 taken at
-- upload (chain of custody, DESIGN §8), the type judged from its bytes, and who added it when.
create table clue_evidence (
  evidence_id text primary key,
  clue_id text not null references clues (clue_id),
  source text not null check (source in ('reporter', 'unit')),
  object_key text not null,
  content_type text not null,
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  unit_id text,
  actor text not null,
  added_at timestamptz not null
);

create index clue_evidence_clue on clue_evidence (clue_id, added_at, evidence_id);
