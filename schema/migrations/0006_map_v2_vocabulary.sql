-- Map v2, part 1: new enum values (committed on their own, since PostgreSQL
-- does not let a transaction use an enum value it added).
--   observatory   mapping exercises, observatories and research projects: on
--                 the map, but not counted as coverage, brokers or single
--                 points of failure unless asked for
--   consulted     a stakeholder group that gives input (consultations,
--                 advisory bodies) but takes no part in decisions
--   operated_by   who performs or runs a function (the IANA functions: ICANN
--                 until 2016, then PTI)
ALTER TYPE mechanism_kind ADD VALUE IF NOT EXISTS 'observatory';
ALTER TYPE stakeholder_role ADD VALUE IF NOT EXISTS 'consulted' BEFORE 'open_participation';
ALTER TYPE relation_kind ADD VALUE IF NOT EXISTS 'operated_by';
