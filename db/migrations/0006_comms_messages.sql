set local role gateway_owner;

create domain comms.channel as text
  constraint channel_allowed_values check (value in ('email'));
comment on domain comms.channel is
  'Channels a message can be sent on. Extend by replacing the check constraint.';

create table comms.message (
  message_id bigint generated always as identity primary key,
  channel comms.channel not null,
  created_at timestamptz not null default now()
);
comment on table comms.message is
  'One row per outgoing message, whatever its channel. Written by comms.create_email_message; owner only.';

create table comms.email_message (
  message_id bigint primary key references comms.message (message_id) on delete cascade,
  from_address text not null,
  to_address text not null,
  subject text not null,
  html text not null
);
comment on table comms.email_message is
  'The content of an email message. Written by comms.create_email_message; owner only.';

create table comms.email_template (
  email_template_id bigint generated always as identity primary key,
  template_key text not null unique,
  subject text not null,
  body text not null,
  body_params text[] not null default '{}',
  description text,
  created_at timestamptz not null default now()
);
comment on table comms.email_template is
  'Email templates: ${param} placeholders in subject and body are replaced by comms.render_email_template for the '
  'params listed in body_params. Owner only.';

insert into comms.email_template (template_key, subject, body, body_params, description)
values (
  'hello_world_email',
  'Hello, ${name}!',
  '<!doctype html><html><body><h1>Hello, ${name}!</h1><p>This email was sent by the gateway''s task queue.</p></body></html>',
  array['name'],
  'Demo email sent by api.hello_world_email.'
);

-- Invoker like the other helpers of this file: granted to nobody, so only the owner's definer functions call it.
-- Values go into the HTML body escaped, so a parameter can never inject markup; the subject is plain text.
create function comms.render_email_template(_template_key text, _params jsonb, out subject text, out body text)
language plpgsql
stable
set search_path = ''
as $$
declare
  _body_params text[];
  _param text;
  _value text;
begin
  select t.subject, t.body, t.body_params
  into subject, body, _body_params
  from comms.email_template as t
  where t.template_key = _template_key;

  if not found then
    raise sqlstate 'P0002' using
      message = format('comms.render_email_template: no email template %L', _template_key),
      hint = 'template_not_found';
  end if;

  foreach _param in array _body_params loop
    if _params ? _param then
      _value := coalesce(_params ->> _param, '');
      subject := replace(subject, '${' || _param || '}', _value);
      body := replace(body, '${' || _param || '}',
        replace(replace(replace(replace(replace(_value,
          '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'));
    end if;
  end loop;
end
$$;
comment on function comms.render_email_template(text, jsonb) is
  'Renders an email template with params (only keys listed in body_params; values HTML-escaped in the body). '
  'An unknown template raises P0002 with hint template_not_found, since it is a deployment error, not bad input. '
  'Owner only (called by definer api functions).';

create function comms.from_email_address(_key text) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  _address text := internal.get_config('from_emails') ->> _key;
begin
  if _address is null then
    raise sqlstate 'P0002' using
      message = format('comms.from_email_address: no from address configured for %L', _key),
      hint = 'from_address_not_configured';
  end if;
  return _address;
end
$$;
comment on function comms.from_email_address(text) is
  'The sender address configured under internal.config from_emails.<key>; an unknown key raises P0002. '
  'Owner only (called by definer api functions).';

create function comms.create_email_message(
  _from_address text,
  _to_address text,
  _subject text,
  _html text,
  out validation_failure_message text,
  out created_message_id bigint
)
language plpgsql
set search_path = ''
as $$
begin
  validation_failure_message := case
    when coalesce(btrim(_from_address), '') = '' then 'from_address_missing'
    when coalesce(btrim(_to_address), '') = '' then 'to_address_missing'
    when coalesce(btrim(_subject), '') = '' then 'subject_missing'
    when coalesce(btrim(_html), '') = '' then 'html_missing'
  end;
  if validation_failure_message is not null then
    return;
  end if;

  insert into comms.message (channel)
  values ('email')
  returning message_id into created_message_id;

  insert into comms.email_message (message_id, from_address, to_address, subject, html)
  values (created_message_id, _from_address, _to_address, _subject, _html);
end
$$;
comment on function comms.create_email_message(text, text, text, text) is
  'Stores an email message and returns its id, or a validation_failure_message (from_address_missing, to_address_missing, '
  'subject_missing, html_missing) and writes nothing. Owner only (called by comms.create_and_kickoff_email_task).';

reset role;
