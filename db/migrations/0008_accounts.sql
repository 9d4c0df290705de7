set local role gateway_owner;

-- User accounts: an email and/or a phone number, an optional bcrypt hash, and the facts of each login.
-- Nobody but gateway_owner has any privilege in schema accounts; the api functions (SECURITY DEFINER,
-- owned by gateway_owner) are the only way in.

-- Normalization and validation live in small pure functions, so the trigger, the CHECKs and
-- create_account (which turns a bad value into a stable code instead of a constraint error) agree.

-- Whitespace for the purposes below: ASCII whitespace plus the Unicode spaces that a copy-paste brings
-- (no-break, en/em and thin spaces, zero-width space, line/paragraph separators, BOM), listed explicitly
-- so the result does not depend on the database's locale.
create function accounts.normalize_email(_email text) returns text
language sql
immutable
return nullif(
  lower(regexp_replace(_email, '[[:space:]\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]', '', 'g')),
  '');
comment on function accounts.normalize_email(text) is
  'Owner only. Removes every whitespace character (also inside the address) and lower-cases; empty becomes NULL.';

create function accounts.normalize_phone_number(_phone_number text) returns text
language sql
immutable
return '+' || nullif(ltrim(regexp_replace(_phone_number, '[^0-9+]', '', 'g'), '+'), '');
comment on function accounts.normalize_phone_number(text) is
  'Owner only. Keeps digits and "+" (dropping spaces, dashes, dots, brackets) and makes it start with one "+"; '
  'no digits becomes NULL. A "+" after the first digit survives, so that validation rejects it.';

create function accounts.is_valid_email(_email text) returns boolean
language sql
immutable
return _email ~ '^[^@[:space:]]+@[^@[:space:]]+$';
comment on function accounts.is_valid_email(text) is
  'Owner only. True for a normalized address with one "@" and something on each side.';

create function accounts.is_valid_phone_number(_phone_number text) returns boolean
language sql
immutable
return _phone_number ~ '^\+[1-9][0-9]{7,14}$';
comment on function accounts.is_valid_phone_number(text) is
  'Owner only. True for a normalized E.164 number: "+", a non-zero digit, 8 to 15 digits in all.';

create table accounts.account (
  account_id bigint generated always as identity primary key,
  email text unique,
  phone_number text unique,
  hashed_password text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint account_email_valid check (email is null or accounts.is_valid_email(email)),
  constraint account_phone_number_valid check (phone_number is null or accounts.is_valid_phone_number(phone_number)),
  constraint account_email_or_phone_number_required check (email is not null or phone_number is not null)
);
comment on table accounts.account is
  'One row per user. Written only by definer functions owned by gateway_owner; no role has any grant. '
  'hashed_password is a bcrypt hash, or NULL for a passwordless account, which can never log in with a password.';

create function accounts.normalize_account() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.email := accounts.normalize_email(new.email);
  new.phone_number := accounts.normalize_phone_number(new.phone_number);
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end
$$;
comment on function accounts.normalize_account() is
  'Trigger of accounts.account: stores email and phone number normalized, so the unique constraints compare '
  'like with like, and stamps updated_at on every update.';

create trigger account_normalize
before insert or update on accounts.account
for each row execute function accounts.normalize_account();
comment on trigger account_normalize on accounts.account is
  'Normalizes email and phone number before the CHECKs and unique constraints see them.';

create table accounts.account_login (
  account_login_id bigint generated always as identity primary key,
  account_id bigint not null references accounts.account on delete cascade,
  logged_in_at timestamptz not null default now()
);
-- For the cascade when an account is deleted, and for "last logins of an account".
create index account_login_account_id_idx on accounts.account_login (account_id);
comment on table accounts.account_login is
  'Append-only: one row per successful login, inserted by api.login and never updated. No role has any grant.';

create function accounts.create_account(
  _email text,
  _phone_number text,
  _password text,
  out validation_failure_message text,
  out created_account accounts.account
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  _normalized_email text := accounts.normalize_email(_email);
  _normalized_phone_number text := accounts.normalize_phone_number(_phone_number);
begin
  if _normalized_email is null and _normalized_phone_number is null then
    validation_failure_message := 'email_or_phone_number_required';
    return;
  end if;
  if _normalized_email is not null and not accounts.is_valid_email(_normalized_email) then
    validation_failure_message := 'invalid_email';
    return;
  end if;
  if _normalized_phone_number is not null and not accounts.is_valid_phone_number(_normalized_phone_number) then
    validation_failure_message := 'invalid_phone_number';
    return;
  end if;
  -- The rule applies to what the user typed; the hash is always 60 characters.
  if _password is not null and char_length(_password) < 8 then
    validation_failure_message := 'invalid_password';
    return;
  end if;

  -- on conflict also covers two signups racing for the same email or phone number.
  insert into accounts.account (email, phone_number, hashed_password)
  values (
    _normalized_email,
    _normalized_phone_number,
    case when _password is not null then extensions.crypt(_password, extensions.gen_salt('bf', 10)) end
  )
  on conflict do nothing
  returning * into created_account;

  if created_account.account_id is null then
    validation_failure_message := 'account_already_exists';
  end if;
end
$$;
comment on function accounts.create_account(text, text, text) is
  'Owner only (called by api.signup). Creates an account, or returns one of email_or_phone_number_required, '
  'invalid_email, invalid_phone_number, invalid_password (fewer than 8 characters), account_already_exists. '
  'A NULL password creates a passwordless account (NULL hash).';

create function accounts.identifier_type(_identifier text) returns text
language sql
immutable
return case
  when _identifier like '%@%' then
    case when accounts.is_valid_email(accounts.normalize_email(_identifier)) then 'email' end
  when accounts.is_valid_phone_number(accounts.normalize_phone_number(_identifier)) then 'phone_number'
end;
comment on function accounts.identifier_type(text) is
  'Owner only. Says whether a login identifier is an ''email'' (it has an "@") or a ''phone_number'', '
  'or NULL when it is neither valid.';

create function accounts.find_account_by_identifier(_identifier text) returns accounts.account
language sql
stable
as $$
  select account.*
  from accounts.account
  where accounts.identifier_type(_identifier) = 'email'
    and account.email = accounts.normalize_email(_identifier)
  union all
  select account.*
  from accounts.account
  where accounts.identifier_type(_identifier) = 'phone_number'
    and account.phone_number = accounts.normalize_phone_number(_identifier);
$$;
comment on function accounts.find_account_by_identifier(text) is
  'Owner only (called by api.login). The account whose normalized email or phone number matches the '
  'identifier, or NULL.';

reset role;
