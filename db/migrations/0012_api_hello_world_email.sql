set local role gateway_owner;

-- Checks the caller itself: the seed's grant script gives every api function to anon too, so the grant
-- below is a second wall, not the only one.
create function api.hello_world_email(to_address text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _to_address text := btrim(hello_world_email.to_address);
  _subject text;
  _html text;
  _validation_failure_message text;
  _send_email_task_id bigint;
begin
  if auth.jwt_account_id() is null then
    raise sqlstate '42501' using
      message = 'You must be signed in to send an email',
      hint = 'not_signed_in';
  end if;

  if coalesce(_to_address, '') = '' then
    raise sqlstate 'P0001' using
      message = 'Email Failed',
      detail = 'to_address is required.',
      hint = 'missing_to_address';
  end if;
  -- One address (a local part, one @, a dotted domain), no spaces, commas or angle brackets, at most 254 characters.
  if length(_to_address) > 254
    or _to_address !~ '^[A-Za-z0-9.!#$%&''*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$' then
    raise sqlstate 'P0001' using
      message = 'Email Failed',
      detail = 'to_address is not a valid email address.',
      hint = 'invalid_to_address';
  end if;

  select r.subject, r.body
  into _subject, _html
  from comms.render_email_template('hello_world_email', jsonb_build_object('name', 'World')) as r;

  select k.validation_failure_message, k.send_email_task_id
  into _validation_failure_message, _send_email_task_id
  from comms.create_and_kickoff_email_task(comms.from_email_address('hello'), _to_address, _subject, _html, now()) as k;

  if _validation_failure_message is not null then
    raise sqlstate 'P0001' using
      message = 'Email Failed',
      hint = _validation_failure_message;
  end if;

  return jsonb_build_object('status', 'succeeded', 'send_email_task_id', _send_email_task_id);
end
$$;
comment on function api.hello_world_email(text) is
  'Demo: queues a "Hello, World!" email to to_address and returns {status: succeeded, send_email_task_id}. '
  'Signed-in callers only (authenticated; anything without a token sub gets 42501 not_signed_in). '
  'Bad input raises P0001 "Email Failed" with hint missing_to_address, invalid_to_address or a comms validation code.';
grant execute on function api.hello_world_email(text) to authenticated;

reset role;
