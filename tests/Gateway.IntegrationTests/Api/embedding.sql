-- Fixture for the resource-embedding HTTP tests (Api/Embed*Tests, through EmbedFixture alone): private tables
-- in the schema embed, reached only through api views over them, so every relationship is found through views, as
-- in the gateway's own layout. Each kind of relationship PostgREST knows has its pair: many-to-one and one-to-many
-- (projects -> clients, tasks -> projects), many-to-many (users <-> tasks through users_tasks), one-to-one
-- (profiles.user_id unique), a self-reference (employees.manager_id), two keys to one table (messages), computed
-- relationships, and a child table under row-level security. Created as the owner, like migrations.
create schema embed authorization gateway_owner;
comment on schema embed is 'Fixture: the private tables behind the embedding views; no api role may use it.';

set role gateway_owner;

create table embed.clients (
  id integer primary key,
  name text not null
);

create table embed.projects (
  id integer primary key,
  name text not null,
  client_id integer references embed.clients (id)
);

create table embed.tasks (
  id integer primary key,
  title text not null,
  done boolean not null default false,
  project_id integer references embed.projects (id),
  meta jsonb
);

create table embed.users (
  id integer primary key,
  name text not null
);

-- Both keys are part of the primary key: a junction, so users and tasks are many-to-many.
create table embed.users_tasks (
  user_id integer not null references embed.users (id),
  task_id integer not null references embed.tasks (id),
  primary key (user_id, task_id)
);

create table embed.employees (
  id integer primary key,
  name text not null,
  manager_id integer references embed.employees (id)
);

-- Two keys to users: embedding users from messages (or messages from users) needs a hint.
create table embed.messages (
  id integer primary key,
  body text not null,
  sender_id integer not null references embed.users (id),
  recipient_id integer not null references embed.users (id)
);

-- user_id is unique: users and profiles are one-to-one.
create table embed.profiles (
  id integer primary key,
  user_id integer not null unique references embed.users (id),
  bio text not null
);

create table embed.invoices (
  id integer primary key,
  client_id integer not null references embed.clients (id),
  amount numeric(10, 2) not null,
  status text not null
);

-- Comments on tasks, each visible only to the role named in audience: through the view, a child row the caller
-- may not see must be absent from an embed, never an error.
create table embed.task_comments (
  id integer primary key,
  task_id integer not null references embed.tasks (id),
  body text not null,
  audience name not null
);

insert into embed.clients values (1, 'Microsoft'), (2, 'Apple'), (3, 'Idle Co');
insert into embed.projects values
  (1, 'Windows 7', 1), (2, 'Windows 10', 1), (3, 'IOS', 2), (4, 'OSX', 2), (5, 'Orphan', null);
insert into embed.tasks values
  (1, 'Design w7', true, 1, '{"size": {"w": 1}, "tag": "ui"}'),
  (2, 'Code w7', false, 1, '{"size": {"w": 2}, "tag": "dev"}'),
  (3, 'Design w10', true, 2, null),
  (4, 'Code w10', false, 2, null),
  (5, 'Design IOS', false, 3, null),
  (6, 'Code IOS', true, 3, null),
  (7, 'Design OSX', false, 4, null);
insert into embed.users values (1, 'Angela'), (2, 'Michael'), (3, 'Dwight');
insert into embed.users_tasks values (1, 1), (1, 2), (1, 3), (2, 2), (2, 5), (3, 6);
insert into embed.employees values (1, 'Boss', null), (2, 'Manager', 1), (3, 'Worker A', 2), (4, 'Worker B', 2);
insert into embed.messages values (1, 'Hi', 1, 2), (2, 'Re: Hi', 2, 1), (3, 'FYI', 1, 3);
insert into embed.profiles values (1, 1, 'Accounting'), (2, 2, 'Management');
insert into embed.invoices values (1, 1, 100.50, 'paid'), (2, 1, 200.25, 'open'), (3, 2, 50.00, 'paid'), (4, 2, 75.30, 'paid');
insert into embed.task_comments values
  (1, 1, 'public note', 'anon'),
  (2, 1, 'members only', 'authenticated'),
  (3, 2, 'public too', 'anon');

-- Enabled after the rows are in: with FORCE the policy binds the owner too, and no row's audience is gateway_owner.
alter table embed.task_comments enable row level security;
-- The view runs as its owner, who owns this table too: without FORCE every request would bypass the policy.
alter table embed.task_comments force row level security;
-- current_user is the request's role (anon or authenticated) inside the view, not the view's owner.
create policy task_comments_audience on embed.task_comments
  for all
  using (audience = current_user);

create view api.clients as select id, name from embed.clients;
comment on view api.clients is 'Fixture: clients; the parent of projects and invoices.';
grant select on api.clients to anon, authenticated;

create view api.projects as select id, name, client_id from embed.projects;
comment on view api.projects is 'Fixture: projects, each of one client (or none).';
grant select on api.projects to anon, authenticated;

create view api.tasks as select id, title, done, project_id, meta from embed.tasks;
comment on view api.tasks is 'Fixture: tasks of projects; writable by anon and authenticated, so writes can embed (ids 100 and up).';
grant select, insert, update, delete on api.tasks to anon, authenticated;

create view api.users as select id, name from embed.users;
comment on view api.users is 'Fixture: users, related to tasks through users_tasks.';
grant select on api.users to anon, authenticated;

create view api.users_tasks as select user_id, task_id from embed.users_tasks;
comment on view api.users_tasks is 'Fixture: the junction of users and tasks.';
grant select on api.users_tasks to anon, authenticated;

create view api.employees as select id, name, manager_id from embed.employees;
comment on view api.employees is 'Fixture: a self-reference (each employee''s manager).';
grant select on api.employees to anon, authenticated;

create view api.messages as select id, body, sender_id, recipient_id from embed.messages;
comment on view api.messages is 'Fixture: two keys to users (sender and recipient).';
grant select on api.messages to anon, authenticated;

create view api.profiles as select id, user_id, bio from embed.profiles;
comment on view api.profiles is 'Fixture: one profile per user at most (one-to-one).';
grant select on api.profiles to anon, authenticated;

create view api.invoices as select id, client_id, amount, status from embed.invoices;
comment on view api.invoices is 'Fixture: amounts per client, for aggregates.';
grant select on api.invoices to anon, authenticated;

create view api.task_comments as select id, task_id, body from embed.task_comments;
comment on view api.task_comments is 'Fixture: comments under row-level security; each role sees only its own audience''s.';
grant select on api.task_comments to anon, authenticated;

-- Computed relationships: a task list (to-many) and one invoice (to-one through rows 1).
create function api.open_tasks(api.projects) returns setof api.tasks
language sql stable as $$ select * from api.tasks where project_id = $1.id and not done order by id $$;
comment on function api.open_tasks(api.projects) is 'Fixture: a computed to-many relationship, a project''s tasks not done.';
grant execute on function api.open_tasks(api.projects) to anon, authenticated;

create function api.top_invoice(api.clients) returns setof api.invoices rows 1
language sql stable as $$ select * from api.invoices where client_id = $1.id order by amount desc limit 1 $$;
comment on function api.top_invoice(api.clients) is 'Fixture: a computed to-one relationship, a client''s largest invoice.';
grant execute on function api.top_invoice(api.clients) to anon, authenticated;

-- Rows of a view from a function: /rpc/projects_of?select=id,clients(name) embeds as a read of api.projects does.
create function api.projects_of(client integer) returns setof api.projects
language sql stable as $$ select * from api.projects where client_id = client $$;
comment on function api.projects_of(integer) is 'Fixture: the projects of one client, as rows of api.projects.';
grant execute on function api.projects_of(integer) to anon, authenticated;

reset role;
