set local role gateway_owner;

-- Password sign-up, login and token refresh over HTTP (POST /rpc/signup, /rpc/login, /rpc/refresh_tokens).
-- Each returns {access_token, refresh_token}, or raises P0001 (HTTP 400) with a stable code in the hint,
-- which is what clients key off. SECURITY DEFINER: they reach schemas accounts and auth, which anon and
-- authenticated cannot. Volatile, so they are never run by a GET or in a read-only transaction.

create function api.signup(password text, email text default null, phone_number text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _result record;
begin
  -- A password is required here: passwordless accounts come only from flows that prove the email or
  -- phone number. '' fails the length rule, so a missing password is reported as invalid_password, in
  -- the same order of checks as create_account.
  select * into _result
  from accounts.create_account(signup.email, signup.phone_number, coalesce(signup.password, ''));
  if _result.validation_failure_message is not null then
    raise exception 'Signup Failed' using hint = _result.validation_failure_message;
  end if;
  return auth.create_token_pair((_result.created_account).account_id);
end
$$;
comment on function api.signup(text, text, text) is
  'For anon and authenticated. Creates an account with a password and an email and/or phone number, and '
  'returns its tokens. Hints: email_or_phone_number_required, invalid_email, invalid_phone_number, '
  'invalid_password, account_already_exists.';
grant execute on function api.signup(text, text, text) to anon, authenticated;

create function api.login(identifier text, password text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _account accounts.account;
begin
  if nullif(btrim(login.identifier, E' \t\r\n'), '') is null then
    raise exception 'Login Failed' using hint = 'missing_identifier';
  end if;
  if accounts.identifier_type(login.identifier) is null then
    raise exception 'Login Failed' using hint = 'invalid_identifier';
  end if;
  _account := accounts.find_account_by_identifier(login.identifier);
  if _account.account_id is null then
    raise exception 'Login Failed' using hint = 'account_not_found';
  end if;
  -- NULL-safe: a passwordless account (NULL hash) or a NULL password never matches.
  if _account.hashed_password is null
     or login.password is null
     or extensions.crypt(login.password, _account.hashed_password) is distinct from _account.hashed_password then
    raise exception 'Login Failed' using hint = 'bad_password';
  end if;

  insert into accounts.account_login (account_id) values (_account.account_id);
  return auth.create_token_pair(_account.account_id);
end
$$;
comment on function api.login(text, text) is
  'For anon and authenticated. Logs in with an email or phone number and a password, records the login, and '
  'returns tokens. Hints: missing_identifier, invalid_identifier, account_not_found, bad_password (also for '
  'an account that has no password).';
grant execute on function api.login(text, text) to anon, authenticated;

create function api.refresh_tokens(refresh_token text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _validation record;
begin
  if nullif(btrim(refresh_tokens.refresh_token, E' \t\r\n'), '') is null then
    raise exception 'Refresh Failed' using hint = 'missing_refresh_token';
  end if;
  select * into _validation from auth.validate_token(refresh_tokens.refresh_token, 'refresh');
  if _validation.validation_failure_message is not null then
    raise exception 'Refresh Failed' using hint = _validation.validation_failure_message;
  end if;
  return auth.create_token_pair(_validation.account_id);
end
$$;
comment on function api.refresh_tokens(text) is
  'For anon and authenticated (a client refreshes once its access token has expired). Trades a valid '
  'refresh token for a new pair; an access token is refused. Hints: missing_refresh_token, token_invalid '
  '(also when the account is gone), wrong_token_use.';
grant execute on function api.refresh_tokens(text) to anon, authenticated;

reset role;
