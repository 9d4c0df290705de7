set local role gateway_owner;

-- HS256 JSON Web Tokens minted and checked in SQL with pgcrypto, signed with internal.config('jwt').secret,
-- the same secret the gateway validates bearer tokens with.
-- Claims: sub (the account id as a JSON string), role 'authenticated', token_use 'access' or 'refresh',
-- iat, nbf (= iat) and exp (iat + the configured lifetime), all in whole seconds since the epoch.
-- Nobody but gateway_owner uses schema auth; the one grant is auth.jwt_account_id to authenticated (below).

create function auth.url_encode(_data bytea) returns text
language sql
immutable
strict
return translate(encode(_data, 'base64'), E'+/=\n', '-_');
comment on function auth.url_encode(bytea) is
  'Owner only. base64url without padding or line breaks (RFC 7515 §2).';

create function auth.url_decode(_data text) returns bytea
language sql
immutable
strict
return decode(rpad(translate(_data, '-_', '+/'), (char_length(_data) + 3) / 4 * 4, '='), 'base64');
comment on function auth.url_decode(text) is
  'Owner only. Inverse of auth.url_encode; raises on text that is not base64url (auth.verify checks first).';

create function auth.sign(_payload jsonb, _secret text) returns text
language sql
immutable
strict
as $$
  select signing_input || '.' || auth.url_encode(extensions.hmac(signing_input, _secret, 'sha256'))
  from (
    select auth.url_encode(convert_to('{"alg":"HS256","typ":"JWT"}', 'UTF8'))
           || '.'
           || auth.url_encode(convert_to(_payload::text, 'UTF8')) as signing_input
  ) as token;
$$;
comment on function auth.sign(jsonb, text) is
  'Owner only. An HS256 JWT carrying the payload as its claims, signed with the secret.';

create function auth.verify(_token text, _secret text, out header jsonb, out payload jsonb, out valid boolean)
language plpgsql
stable
set search_path = ''
as $$
declare
  _parts text[];
  _now numeric := extract(epoch from now());
begin
  valid := false;
  if _token is null or _secret is null
     or _token !~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' then
    return;
  end if;
  _parts := string_to_array(_token, '.');

  -- Base64 of the wrong length, bytes that are not UTF-8 and text that is not JSON all raise a data
  -- exception (class 22): such a token is simply not valid.
  begin
    header := convert_from(auth.url_decode(_parts[1]), 'UTF8')::jsonb;
    payload := convert_from(auth.url_decode(_parts[2]), 'UTF8')::jsonb;
  exception when data_exception then
    header := null;
    payload := null;
    return;
  end;

  -- Only HS256: never 'none', never an algorithm the caller did not ask for.
  if jsonb_typeof(header) is distinct from 'object'
     or jsonb_typeof(payload) is distinct from 'object'
     or header->>'alg' is distinct from 'HS256' then
    return;
  end if;

  -- Compare HMACs of the two signatures rather than the signatures, so the time taken says nothing about
  -- how many leading characters of a forged signature were right.
  if extensions.hmac(_parts[3], _secret, 'sha256')
     <> extensions.hmac(auth.url_encode(extensions.hmac(_parts[1] || '.' || _parts[2], _secret, 'sha256')), _secret, 'sha256') then
    return;
  end if;

  -- A time claim that is present must be a number, and now must lie in [nbf, exp).
  if (payload ? 'exp' and (jsonb_typeof(payload->'exp') <> 'number' or _now >= (payload->>'exp')::numeric))
     or (payload ? 'nbf' and (jsonb_typeof(payload->'nbf') <> 'number' or _now < (payload->>'nbf')::numeric)) then
    return;
  end if;

  valid := true;
end
$$;
comment on function auth.verify(text, text) is
  'Owner only. Decodes a JWT and says whether it is a well-formed HS256 token signed with the secret and '
  'inside its nbf/exp window. Never raises on a bad token: header and payload are NULL when undecodable, and '
  'are returned decoded (but untrusted) when only the signature or the times are wrong.';

create function auth.jwt_config(
  out secret text,
  out access_token_expiry_seconds integer,
  out refresh_token_expiry_seconds integer
)
language plpgsql
stable
set search_path = ''
as $$
declare
  _jwt jsonb := internal.get_config('jwt');
begin
  secret := _jwt->>'secret';
  access_token_expiry_seconds := (_jwt->>'access_token_expiry_seconds')::integer;
  refresh_token_expiry_seconds := (_jwt->>'refresh_token_expiry_seconds')::integer;
  if secret is null or access_token_expiry_seconds is null or refresh_token_expiry_seconds is null then
    raise exception 'internal.config key jwt needs secret, access_token_expiry_seconds and refresh_token_expiry_seconds';
  end if;
end
$$;
comment on function auth.jwt_config() is
  'Owner only. The signing secret and token lifetimes from internal.config(''jwt''); raises when any is missing, '
  'so a misconfigured database never mints an unsigned or endless token.';

create function auth.create_token(_account_id bigint, _token_use text) returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  _config record;
  _now bigint := floor(extract(epoch from now()));
begin
  if _account_id is null or _token_use is null or _token_use not in ('access', 'refresh') then
    raise exception 'auth.create_token needs an account id and a token use of access or refresh';
  end if;
  select * into _config from auth.jwt_config();
  return auth.sign(
    jsonb_build_object(
      'sub', _account_id::text,
      'role', 'authenticated',
      -- unique per token, so two tokens minted in the same second (one transaction) still differ
      'jti', gen_random_uuid()::text,
      'token_use', _token_use,
      'iat', _now,
      'nbf', _now,
      'exp', _now + case _token_use
                      when 'access' then _config.access_token_expiry_seconds
                      else _config.refresh_token_expiry_seconds
                    end),
    _config.secret);
end
$$;
comment on function auth.create_token(bigint, text) is
  'Owner only (through auth.create_access_token and auth.create_refresh_token). Mints a token for an account.';

create function auth.create_access_token(_account_id bigint) returns text
language sql
volatile
security definer
set search_path = ''
return auth.create_token(_account_id, 'access');
comment on function auth.create_access_token(bigint) is
  'Owner only (called by the api login functions). A bearer token for the gateway, valid for '
  'access_token_expiry_seconds.';

create function auth.create_refresh_token(_account_id bigint) returns text
language sql
volatile
security definer
set search_path = ''
return auth.create_token(_account_id, 'refresh');
comment on function auth.create_refresh_token(bigint) is
  'Owner only (called by the api login functions). A token accepted only by api.refresh_tokens, valid for '
  'refresh_token_expiry_seconds.';

create function auth.create_token_pair(_account_id bigint) returns jsonb
language sql
volatile
security definer
set search_path = ''
return jsonb_build_object(
  'access_token', auth.create_access_token(_account_id),
  'refresh_token', auth.create_refresh_token(_account_id));
comment on function auth.create_token_pair(bigint) is
  'Owner only. The {access_token, refresh_token} object that api.signup, api.login and api.refresh_tokens return.';

create function auth.validate_token(
  _token text,
  _required_use text,
  out validation_failure_message text,
  out account_id bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _secret text;
  _verified record;
  _sub text;
begin
  select secret into _secret from auth.jwt_config();
  select * into _verified from auth.verify(_token, _secret);
  _sub := _verified.payload->>'sub';
  if not _verified.valid
     or _verified.payload->>'role' is distinct from 'authenticated'
     or _sub is null
     or _sub !~ '^[0-9]{1,18}$' then
    validation_failure_message := 'token_invalid';
    return;
  end if;
  if _verified.payload->>'token_use' is distinct from _required_use then
    validation_failure_message := 'wrong_token_use';
    return;
  end if;
  if not exists (select from accounts.account where account.account_id = _sub::bigint) then
    validation_failure_message := 'token_invalid';
    return;
  end if;
  account_id := _sub::bigint;
end
$$;
comment on function auth.validate_token(text, text) is
  'Owner only (called by api.refresh_tokens). The account of a valid token of the required use, or '
  'token_invalid (bad, expired, or its account is gone) or wrong_token_use.';

create function auth.jwt_account_id() returns bigint
language plpgsql
stable
set search_path = ''
as $$
declare
  _claims text := current_setting('request.jwt.claims', true);
  _sub text;
begin
  if _claims is null or _claims = '' then
    return null;
  end if;
  begin
    _sub := _claims::jsonb->>'sub';
  exception when data_exception then
    return null;
  end;
  if _sub ~ '^[0-9]{1,18}$' then
    return _sub::bigint;
  end if;
  return null;
end
$$;
comment on function auth.jwt_account_id() is
  'The account id in the sub claim of the request''s token, or NULL without a usable one; never raises. '
  'Used by definer api functions and by the row-level security policies and column default of demo.todo. '
  'Those run as the requesting role, and PostgreSQL checks EXECUTE on a function in a policy or a default '
  'against that role, so authenticated needs the grant; it reveals only the caller''s own claim, and '
  'authenticated has no USAGE on schema auth, so it cannot call it by name.';
grant execute on function auth.jwt_account_id() to authenticated;

reset role;
