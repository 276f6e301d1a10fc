-- The person record behind an account: a party member's 我的联系户 are the households linked
-- to this person. Covered by the account's row MAC when set.
ALTER TABLE app_user ADD COLUMN person_id BIGINT REFERENCES person(id);
CREATE INDEX app_user_person ON app_user(person_id);
