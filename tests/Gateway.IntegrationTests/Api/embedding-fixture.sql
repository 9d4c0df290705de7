-- Fixture objects for resource embedding (issue 10): api views over private tables in demo, with every kind of
-- relationship the catalog finds through views. Names, keys and rows follow PostgREST's own spec fixture
-- (test/spec/fixtures/schema.sql, data.sql) where it has them, so its embedding specs port with their expected
-- bodies; the constraints on projects and tasks are renamed 'client' and 'project' there too.
-- Applied after Api/fixture.sql by every fixture that serves the Api views (ApiFixture.ApplyFixtureSqlAsync).
-- Created as the owner, like migrations; anon and authenticated may read every view and call every function, and
-- may write through projects and tasks (tests that write use rows of their own ids above 100).
set role gateway_owner;

create table demo.clients (
  id integer primary key,
  name text not null
);

create table demo.projects (
  id integer primary key,
  name text not null,
  client_id integer constraint client references demo.clients (id)
);

create table demo.tasks (
  id integer primary key,
  name text not null,
  project_id integer constraint project references demo.projects (id)
);

create table demo.users (
  id integer primary key,
  name text not null
);

-- Junctions: both keys are the primary key, so users and tasks (and users and projects) are many-to-many.
create table demo.users_tasks (
  user_id integer not null references demo.users (id),
  task_id integer not null references demo.tasks (id),
  primary key (task_id, user_id)
);

create table demo.users_projects (
  user_id integer not null references demo.users (id),
  project_id integer not null references demo.projects (id),
  primary key (project_id, user_id)
);

-- A self-reference: employees_manager_id_fkey, many-to-one to the manager and one-to-many to the reports.
create table demo.employees (
  id integer primary key,
  name text not null,
  manager_id integer references demo.employees (id)
);

-- Two keys to the same table: messages_sender_id_fkey and messages_recipient_id_fkey.
create table demo.messages (
  id integer primary key,
  body text not null,
  sender_id integer not null references demo.users (id),
  recipient_id integer not null references demo.users (id)
);

-- One-to-one: user_id is unique, so profiles_user_id_fkey is one-to-one both ways.
create table demo.profiles (
  id integer primary key,
  user_id integer not null unique references demo.users (id),
  bio text
);

insert into demo.clients values (1, 'Microsoft'), (2, 'Apple');
insert into demo.projects values (1, 'Windows 7', 1), (2, 'Windows 10', 1), (3, 'IOS', 2), (4, 'OSX', 2), (5, 'Orphan', null);
insert into demo.tasks values
  (1, 'Design w7', 1), (2, 'Code w7', 1), (3, 'Design w10', 2), (4, 'Code w10', 2),
  (5, 'Design IOS', 3), (6, 'Code IOS', 3), (7, 'Design OSX', 4), (8, 'Code OSX', 4);
insert into demo.users values (1, 'Angela Martin'), (2, 'Michael Scott'), (3, 'Dwight Schrute');
insert into demo.users_tasks values (1, 1), (1, 2), (1, 3), (1, 4), (2, 5), (2, 6), (2, 7), (3, 1), (3, 5);
insert into demo.users_projects values (1, 1), (1, 2), (2, 3), (2, 4), (3, 1), (3, 3);
insert into demo.employees values (1, 'Jan Levinson', null), (2, 'Michael Scott', 1), (3, 'Dwight Schrute', 2), (4, 'Jim Halpert', 2);
insert into demo.messages values
  (1, 'Hello Michael', 1, 2), (2, 'Hello Angela', 2, 1), (3, 'Beets are ready', 3, 2), (4, 'Note to self', 3, 3);
insert into demo.profiles values (1, 1, 'Head of accounting'), (2, 2, 'Regional manager');

create view api.clients as select id, name from demo.clients;
comment on view api.clients is 'Embedding fixture: projects refer to clients (constraint client).';
grant select on api.clients to anon, authenticated;

create view api.projects as select id, name, client_id from demo.projects;
comment on view api.projects is 'Embedding fixture: many-to-one to clients, one-to-many to tasks, many-to-many with users.';
grant select, insert, update, delete on api.projects to anon, authenticated;

create view api.tasks as select id, name, project_id from demo.tasks;
comment on view api.tasks is 'Embedding fixture: many-to-one to projects (constraint project), many-to-many with users.';
grant select, insert, update, delete on api.tasks to anon, authenticated;

create view api.users as select id, name from demo.users;
comment on view api.users is 'Embedding fixture: many-to-many with tasks and projects, one-to-one with profiles.';
grant select on api.users to anon, authenticated;

create view api.users_tasks as select user_id, task_id from demo.users_tasks;
comment on view api.users_tasks is 'Embedding fixture: the junction of users and tasks.';
grant select on api.users_tasks to anon, authenticated;

create view api.users_projects as select user_id, project_id from demo.users_projects;
comment on view api.users_projects is 'Embedding fixture: the junction of users and projects.';
grant select on api.users_projects to anon, authenticated;

create view api.employees as select id, name, manager_id from demo.employees;
comment on view api.employees is 'Embedding fixture: a self-reference (manager_id).';
grant select on api.employees to anon, authenticated;

create view api.messages as select id, body, sender_id, recipient_id from demo.messages;
comment on view api.messages is 'Embedding fixture: two keys to users (sender_id, recipient_id).';
grant select on api.messages to anon, authenticated;

create view api.profiles as select id, user_id, bio from demo.profiles;
comment on view api.profiles is 'Embedding fixture: one-to-one with users.';
grant select on api.profiles to anon, authenticated;

-- Renames the key columns: its relationships use its own names ("myId", "projectID").
create view api.filtered_tasks as select id as "myId", name, project_id as "projectID" from demo.tasks;
comment on view api.filtered_tasks is 'Embedding fixture: tasks with renamed columns.';
grant select on api.filtered_tasks to anon, authenticated;

-- Hides project_id: no relationship to projects (it keeps those through id).
create view api.task_names as select id, name from demo.tasks;
comment on view api.task_names is 'Embedding fixture: tasks without their project.';
grant select on api.task_names to anon, authenticated;

-- A view of a view: its columns are followed through api.projects to demo.projects.
create view api.windows_projects as select id, name, client_id from api.projects where name like 'Windows%';
comment on view api.windows_projects is 'Embedding fixture: a view of the projects view.';
grant select on api.windows_projects to anon, authenticated;

-- Computed relationships: a function of a view's row returning rows of another view, embedded by its name. Their
-- arguments are named, so they are also ordinary functions in the OpenAPI document (it leaves out unnamed ones).
create function api.computed_projects(client api.clients) returns setof api.projects
language sql stable as $$ select * from api.projects where client_id = client.id $$;
comment on function api.computed_projects(api.clients) is 'Embedding fixture: to-many computed relationship.';
grant execute on function api.computed_projects(api.clients) to anon, authenticated;

create function api.computed_clients(project api.projects) returns setof api.clients
language sql stable rows 1 as $$ select * from api.clients where id = project.client_id $$;
comment on function api.computed_clients(api.projects) is 'Embedding fixture: to-one computed relationship (setof, rows 1).';
grant execute on function api.computed_clients(api.projects) to anon, authenticated;

create function api.computed_manager(employee api.employees) returns api.employees
language sql stable as $$ select * from api.employees where id = employee.manager_id $$;
comment on function api.computed_manager(api.employees) is 'Embedding fixture: to-one computed self-relationship (not setof).';
grant execute on function api.computed_manager(api.employees) to anon, authenticated;

-- Beyond PostgREST's spec fixture (Api/Embed*Tests): what the gateway's own embedding tests need and PostgREST's
-- names and rows lack, as new objects beside them, so the spec objects keep their columns, rows and row order (spec
-- cases without order= read demo.tasks as it was inserted, so it is never updated here). tracked_tasks shows the tasks
-- with a row in demo.task_states, with their done flag and jsonb metadata, for embedded filters and JSON paths;
-- invoices are amounts per project, for aggregates (Windows 10, OSX and Orphan have none); task_comments are under
-- row-level security; open_tasks and top_invoice are computed relationships of projects, and projects_of returns
-- rows of the projects view.
-- on delete cascade: the write specs delete (and put back) PostgREST's tasks.
create table demo.task_states (
  task_id integer primary key references demo.tasks (id) on delete cascade,
  done boolean not null,
  meta jsonb
);

create table demo.invoices (
  id integer primary key,
  project_id integer not null references demo.projects (id),
  amount numeric(10, 2) not null,
  status text not null
);

-- Comments on tasks, each visible only to the role named in audience: through the view, a child row the caller may
-- not see must be absent from an embed, never an error.
create table demo.task_comments (
  id integer primary key,
  task_id integer not null references demo.tasks (id),
  body text not null,
  audience name not null
);

insert into demo.task_states values
  (1, true, '{"size": {"w": 1}, "tag": "ui"}'), (2, false, '{"size": {"w": 2}, "tag": "dev"}'),
  (3, true, null), (4, false, null), (5, false, null), (6, true, null), (7, false, null), (8, false, null);
insert into demo.invoices values (1, 1, 100.50, 'paid'), (2, 1, 200.25, 'open'), (3, 3, 50.00, 'paid'), (4, 3, 75.30, 'paid');
insert into demo.task_comments values
  (1, 1, 'public note', 'anon'), (2, 1, 'members only', 'authenticated'), (3, 2, 'public too', 'anon');

-- Enabled after the rows are in: with FORCE the policy binds the owner too, and no row's audience is gateway_owner.
alter table demo.task_comments enable row level security;
-- The view runs as its owner, who owns this table too: without FORCE every request would bypass the policy.
alter table demo.task_comments force row level security;
-- current_user is the request's role (anon or authenticated) inside the view, not the view's owner.
create policy task_comments_audience on demo.task_comments for all using (audience = current_user);

-- Joins the two tables: its keys are followed to demo.tasks through id and project_id, as through a one-table view.
create view api.tracked_tasks as
  select t.id, t.name, s.done, t.project_id, s.meta from demo.tasks t join demo.task_states s on s.task_id = t.id;
comment on view api.tracked_tasks is 'Embedding fixture: tasks with their done flag and jsonb metadata.';
grant select on api.tracked_tasks to anon, authenticated;

create view api.invoices as select id, project_id, amount, status from demo.invoices;
comment on view api.invoices is 'Embedding fixture: amounts per project, for aggregates.';
grant select on api.invoices to anon, authenticated;

create view api.task_comments as select id, task_id, body from demo.task_comments;
comment on view api.task_comments is 'Embedding fixture: comments under row-level security; each role sees only its own audience''s.';
grant select on api.task_comments to anon, authenticated;

create function api.open_tasks(project api.projects) returns setof api.tracked_tasks
language sql stable as $$ select * from api.tracked_tasks where project_id = project.id and not done order by id $$;
comment on function api.open_tasks(api.projects) is 'Embedding fixture: a computed to-many relationship, a project''s tasks not done.';
grant execute on function api.open_tasks(api.projects) to anon, authenticated;

create function api.top_invoice(project api.projects) returns setof api.invoices
language sql stable rows 1 as $$ select * from api.invoices where project_id = project.id order by amount desc limit 1 $$;
comment on function api.top_invoice(api.projects) is 'Embedding fixture: a computed to-one relationship, a project''s largest invoice.';
grant execute on function api.top_invoice(api.projects) to anon, authenticated;

-- Rows of a view from a function: /rpc/projects_of?select=id,clients(name) embeds as a read of api.projects does.
create function api.projects_of(client integer) returns setof api.projects
language sql stable as $$ select * from api.projects where client_id = client $$;
comment on function api.projects_of(integer) is 'Embedding fixture: the projects of one client, as rows of api.projects.';
grant execute on function api.projects_of(integer) to anon, authenticated;

reset role;

-- QuerySpec, EmbedInnerJoinSpec and the embedding cases of the write and RPC specs (Api/Embed*SpecTests): the rest of
-- the PostgREST fixture those cases read, as private tables in demo with api views of the same names, keys and rows.
-- Where PostgREST exposes a table directly, the view shows all its columns; where it already has a view over a private
-- table (books, articleStars, pages, actors, ...), the view is the same. Every view may be read by anon and
-- authenticated; the ones the write specs change may be written too (their tests put back what they delete).
set role gateway_owner;

-- users_tasks as a parent: comments refers to it by a composite key, touched_files joins it to files.
create table demo.comments (
  id integer primary key,
  commenter_id integer not null,
  user_id integer not null,
  task_id integer not null,
  content text not null,
  constraint "user" foreign key (commenter_id) references demo.users (id),
  constraint comments_task_id_fkey foreign key (task_id, user_id) references demo.users_tasks (task_id, user_id)
);

create table demo.files (
  project_id integer not null,
  filename text not null,
  content text not null,
  primary key (project_id, filename)
);

create table demo.touched_files (
  user_id integer not null,
  task_id integer not null,
  project_id integer not null,
  filename text not null,
  constraint fk_users_tasks foreign key (user_id, task_id) references demo.users_tasks (user_id, task_id),
  constraint fk_upload foreign key (project_id, filename) references demo.files (project_id, filename),
  primary key (user_id, task_id, project_id, filename)
);

insert into demo.comments values (1, 1, 2, 6, 'Needs to be delivered ASAP');
insert into demo.files values
  (1, 'command.com', '#include <unix.h>'), (1, 'autoexec.bat', '@ECHO OFF'), (1, 'io.sys', 'TODO'),
  (2, 'README.md', '# make $$$!'), (2, 'marketing.key', '$-$');
insert into demo.touched_files values (1, 1, 1, 'command.com'), (1, 1, 1, 'autoexec.bat'), (1, 1, 2, 'README.md'), (3, 1, 1, 'autoexec.bat');

create view api.comments as select id, commenter_id, user_id, task_id, content from demo.comments;
comment on view api.comments is 'Embedding spec fixture: to-one to users_tasks by a composite key.';
grant select on api.comments to anon, authenticated;

create view api.files as select project_id, filename, content from demo.files;
comment on view api.files is 'Embedding spec fixture: many-to-many with users_tasks through touched_files.';
grant select on api.files to anon, authenticated;

create view api.touched_files as select user_id, task_id, project_id, filename from demo.touched_files;
comment on view api.touched_files is 'Embedding spec fixture: the junction of users_tasks and files (composite keys).';
grant select on api.touched_files to anon, authenticated;

-- Articles and their stars, exposed under other column names ("articleStars").
create table demo.articles (
  id integer primary key,
  body text,
  owner name not null
);

create table demo.article_stars (
  article_id integer not null,
  user_id integer not null,
  created_at timestamp without time zone not null default now(),
  primary key (article_id, user_id),
  constraint article foreign key (article_id) references demo.articles (id),
  constraint "user" foreign key (user_id) references demo.users (id)
);

insert into demo.articles values
  (1, 'No… It''s a thing; it''s like a plan, but with more greatness.', 'diogo'),
  (2, 'Stop talking, brain thinking. Hush.', 'diogo'),
  (3, 'It''s a fez. I wear a fez now. Fezes are cool.', 'diogo');
insert into demo.article_stars values
  (1, 1, '2015-12-08 04:22:57.472738'), (1, 2, '2015-12-08 04:22:57.472738'), (2, 3, '2015-12-08 04:22:57.472738'),
  (3, 2, '2015-12-08 04:22:57.472738'), (1, 3, '2015-12-08 04:22:57.472738');

create view api.articles as select id, body, owner from demo.articles;
comment on view api.articles is 'Embedding spec fixture: one-to-many to articleStars.';
grant select on api.articles to anon, authenticated;

create view api."articleStars" as
  select article_id as "articleId", user_id as "userId", created_at as "createdAt" from demo.article_stars;
comment on view api."articleStars" is 'Embedding spec fixture: article stars with renamed key columns.';
grant select on api."articleStars" to anon, authenticated;

-- Quoted names with punctuation.
create table demo."Escap3e;" ("so6meIdColumn" integer primary key);
create table demo."ghostBusters" ("escapeId" integer not null references demo."Escap3e;" ("so6meIdColumn"));
insert into demo."Escap3e;" values (1), (2), (3), (4), (5);
insert into demo."ghostBusters" values (1), (3), (5);

create view api."Escap3e;" as select "so6meIdColumn" from demo."Escap3e;";
comment on view api."Escap3e;" is 'Embedding spec fixture: a name with punctuation.';
grant select on api."Escap3e;" to anon, authenticated;

create view api."ghostBusters" as select "escapeId" from demo."ghostBusters";
comment on view api."ghostBusters" is 'Embedding spec fixture: children of "Escap3e;".';
grant select on api."ghostBusters" to anon, authenticated;

-- Three generations: entities, child_entities, grandchild_entities.
create table demo.entities (
  id integer primary key,
  name text,
  arr integer[],
  text_search_vector tsvector
);

create table demo.child_entities (
  id integer primary key,
  name text,
  parent_id integer references demo.entities (id)
);

create table demo.grandchild_entities (
  id integer primary key,
  name text,
  parent_id integer references demo.child_entities (id),
  or_starting_col text,
  and_starting_col text,
  jsonb_col jsonb
);

insert into demo.entities values
  (1, 'entity 1', '{1}', '''bar'':2 ''foo'':1'), (2, 'entity 2', '{1,2}', '''baz'':1 ''qux'':2'),
  (3, 'entity 3', '{1,2,3}', null), (4, null, null, null);
insert into demo.child_entities values
  (1, 'child entity 1', 1), (2, 'child entity 2', 1), (3, 'child entity 3', 2),
  (4, 'child entity 4', 1), (5, 'child entity 5', 1), (6, 'child entity 6', 2);
insert into demo.grandchild_entities values
  (1, 'grandchild entity 1', 1, null, null, null), (2, 'grandchild entity 2', 1, null, null, null),
  (3, 'grandchild entity 3', 2, null, null, null), (4, '(grandchild,entity,4)', 2, null, null, '{"a": {"b":"foo"}}'),
  (5, '(grandchild,entity,5)', 2, null, null, '{"b":"bar"}');

create view api.entities as select id, name, arr, text_search_vector from demo.entities;
comment on view api.entities is 'Embedding spec fixture: parents of child_entities.';
grant select on api.entities to anon, authenticated;

create view api.child_entities as select id, name, parent_id from demo.child_entities;
comment on view api.child_entities is 'Embedding spec fixture: children of entities, parents of grandchild_entities.';
grant select on api.child_entities to anon, authenticated;

create view api.grandchild_entities as
  select id, name, parent_id, or_starting_col, and_starting_col, jsonb_col from demo.grandchild_entities;
comment on view api.grandchild_entities is 'Embedding spec fixture: children of child_entities.';
grant select on api.grandchild_entities to anon, authenticated;

-- Columns named like their tables.
create table demo.being (being int primary key not null);
create table demo.descendant (descendant int primary key not null, being int references demo.being (being));
create table demo.part (part int primary key not null);
create table demo.being_part (
  being int not null references demo.being (being),
  part int not null references demo.part (part),
  primary key (being, part)
);
insert into demo.being values (1), (2), (3), (4);
insert into demo.descendant values (1, 1), (2, 1), (3, 1), (4, 2);
insert into demo.part values (1), (2), (3), (4);
insert into demo.being_part values (1, 1), (2, 1), (3, 2), (4, 3);

create view api.being as select being from demo.being;
create view api.descendant as select descendant, being from demo.descendant;
create view api.part as select part from demo.part;
create view api.being_part as select being, part from demo.being_part;
comment on view api.being is 'Embedding spec fixture: a column named like its table.';
comment on view api.descendant is 'Embedding spec fixture: children of being, by its column being.';
comment on view api.part is 'Embedding spec fixture: many-to-many with being.';
comment on view api.being_part is 'Embedding spec fixture: the junction of being and part.';
grant select on api.being, api.descendant, api.part, api.being_part to anon, authenticated;

-- One parent, children of two kinds told apart by filters on aliases.
create table demo.space (id integer primary key, name text);
create table demo.zone (id integer primary key, name text, zone_type_id integer, space_id integer references demo.space (id));
insert into demo.space values (1, 'space 1');
insert into demo.zone values (1, 'zone 1', 2, 1), (2, 'zone 2', 2, 1), (3, 'store 3', 3, 1), (4, 'store 4', 3, 1);

create view api.space as select id, name from demo.space;
create view api.zone as select id, name, zone_type_id, space_id from demo.zone;
comment on view api.space is 'Embedding spec fixture: parent of zone.';
comment on view api.zone is 'Embedding spec fixture: zones and stores of a space.';
grant select on api.space, api.zone to anon, authenticated;

-- One-to-one: by a composite primary key that is also the foreign key, and by a unique foreign key.
create table demo.students (id int, code text, name text, primary key (id, code));
create table demo.students_info (
  id int,
  code text,
  address text,
  primary key (id, code),
  foreign key (code, id) references demo.students (code, id) on delete cascade
);
create table demo.country (id int primary key, name text);
create table demo.capital (id int primary key, name text, country_id int unique, foreign key (country_id) references demo.country (id));
insert into demo.students values (1, '0001', 'John Doe'), (2, '0002', 'Jane Doe');
insert into demo.students_info values (1, '0001', 'Street 1'), (2, '0002', 'Street 2');
insert into demo.country values (1, 'Afghanistan'), (2, 'Algeria');
insert into demo.capital values (1, 'Kabul', 1), (2, 'Algiers', 2);

create view api.students as select id, code, name from demo.students;
comment on view api.students is 'Embedding spec fixture: one-to-one with students_info (its key is the foreign key).';
grant select, update, delete on api.students to anon, authenticated;

create view api.students_info as select id, code, address from demo.students_info;
comment on view api.students_info is 'Embedding spec fixture: one-to-one with students.';
grant select, update, delete on api.students_info to anon, authenticated;

create view api.students_view as select * from api.students;
create view api.students_info_view as select * from api.students_info;
comment on view api.students_view is 'Embedding spec fixture: a view of the students view.';
comment on view api.students_info_view is 'Embedding spec fixture: a view of the students_info view.';
grant select on api.students_view, api.students_info_view to anon, authenticated;

create view api.country as select id, name from demo.country;
create view api.capital as select id, name, country_id from demo.capital;
comment on view api.country is 'Embedding spec fixture: one-to-one with capital.';
comment on view api.capital is 'Embedding spec fixture: one-to-one with country (country_id is unique).';
grant select on api.country, api.capital to anon, authenticated;

-- Books, their authors and publishers: PostgREST's own private tables and views, several views of one table.
create table demo.authors (id integer primary key, name text);
create table demo.publishers (id integer primary key, name text);
create table demo.books (
  id integer primary key,
  title text,
  publication_year smallint,
  author_id integer references demo.authors (id),
  first_publisher_id integer references demo.publishers (id)
);
insert into demo.authors values
  (1, 'George Orwell'), (2, 'Anne Frank'), (3, 'Antoine de Saint-Exupéry'), (4, 'J.D. Salinger'), (5, 'Ray Bradbury'),
  (6, 'William Golding'), (7, 'Harper Lee'), (8, 'Kurt Vonnegut'), (9, 'Ken Kesey'), (10, 'Fyodor Dostoevsky');
insert into demo.publishers values
  (1, 'Secker & Warburg'), (2, 'Contact Publishing'), (3, 'Reynal & Hitchcock'), (4, 'Little, Brown and Company'),
  (5, 'Ballantine Books'), (6, 'Faber and Faber'), (7, 'J. B. Lippincott & Co.'), (8, 'Delacorte'),
  (9, 'Viking Press & Signet Books');
insert into demo.books values
  (1, '1984', 1949, 1, 1), (2, 'The Diary of a Young Girl', 1947, 2, 2), (3, 'The Little Prince', 1947, 3, 3),
  (4, 'The Catcher in the Rye', 1951, 4, 4), (5, 'Farenheit 451', 1953, 5, 5), (6, 'Lord of the Flies', 1954, 6, 6),
  (7, 'To Kill a Mockingbird', 1960, 7, 7), (8, 'Slaughterhouse-Five', 1969, 8, 8),
  (9, 'One Flew Over the Cuckoo''s Nest', 1962, 9, 9), (10, 'Crime and Punishment', 1866, 10, null);

create view api.authors as select id, name from demo.authors;
create view api.publishers as select id, name from demo.publishers;
create view api.books as select id, title, publication_year, author_id, first_publisher_id from demo.books;
create view api.forties_books as
  select id, title, publication_year, author_id from demo.books where publication_year >= 1940 and publication_year < 1950;
create view api.fifties_books as
  select id, title, publication_year, author_id from demo.books where publication_year >= 1950 and publication_year < 1960;
create view api.sixties_books as
  select id, title, publication_year, author_id from demo.books where publication_year >= 1960 and publication_year < 1970;
comment on view api.authors is 'Embedding spec fixture: parents of books.';
comment on view api.publishers is 'Embedding spec fixture: first publishers of books.';
comment on view api.books is 'Embedding spec fixture: books with their author and first publisher.';
comment on view api.forties_books is 'Embedding spec fixture: one of several views of the books table.';
comment on view api.fifties_books is 'Embedding spec fixture: one of several views of the books table.';
comment on view api.sixties_books is 'Embedding spec fixture: one of several views of the books table.';
grant select on api.authors, api.publishers, api.books, api.forties_books, api.fifties_books, api.sixties_books
  to anon, authenticated;

-- Views whose key columns pass through subqueries, CASE, a FROM subquery, a CTE and GROUP BY.
create view api.authors_books_number as
select
  id,
  name,
  (select count(*) from api.forties_books where author_id = authors.id) as num_in_forties,
  (select count(*) from api.fifties_books where author_id = authors.id) as num_in_fifties,
  (select count(*) from api.sixties_books where author_id = authors.id) as num_in_sixties,
  (
    select count(*)
    from (
      select id from api.forties_books where author_id = authors.id
      union
      select id from api.fifties_books where author_id = authors.id
      union
      select id from api.sixties_books where author_id = authors.id
    ) _
  ) as num_in_all_decades
from demo.authors;

create view api.authors_have_book_in_decade as
select
  id,
  name,
  case when (x.id in (select author_id from api.forties_books)) then true else false end as has_book_in_forties,
  case when (x.id in (select author_id from api.fifties_books)) then true else false end as has_book_in_fifties,
  case when (x.id in (select author_id from api.sixties_books)) then true else false end as has_book_in_sixties
from demo.authors x;

create view api.authors_have_book_in_decade2 as
select
  id,
  name,
  coalesce((select true from api.forties_books where author_id = x.id limit 1), false) as has_book_in_forties,
  coalesce((select true from api.fifties_books where author_id = x.id limit 1), false) as has_book_in_fifties,
  coalesce((select true from api.sixties_books where author_id = x.id limit 1), false) as has_book_in_sixties
from demo.authors x;

create view api.forties_and_fifties_books as
select x.id, x.title, x.publication_year, y.name as first_publisher, x.author_id
from (
  select id, title, publication_year, author_id, first_publisher_id from demo.books
  where publication_year >= 1940 and publication_year < 1960) x
join demo.publishers y on y.id = x.first_publisher_id;

create view api.odd_years_publications as
with odd_years_books as (
  select id, title, publication_year, author_id, first_publisher_id from demo.books where publication_year % 2 <> 0
)
select x.id, x.title, x.publication_year, y.name as first_publisher, x.author_id
from odd_years_books x
join demo.publishers y on y.id = x.first_publisher_id;

create view api.projects_count_grouped_by as
select client_id, count(id) as number_of_projects from demo.projects group by client_id;

create view api.authors_w_entities as
select
  id,
  name,
  (select json_agg(id) from api.entities where id not in (select parent_id from api.child_entities)) as entities
from demo.authors;

comment on view api.authors_books_number is 'Embedding spec fixture: authors with subselects.';
comment on view api.authors_have_book_in_decade is 'Embedding spec fixture: authors with CASE subselects.';
comment on view api.authors_have_book_in_decade2 is 'Embedding spec fixture: authors with subselects in a function call.';
comment on view api.forties_and_fifties_books is 'Embedding spec fixture: books from a subselect in FROM.';
comment on view api.odd_years_publications is 'Embedding spec fixture: books from a CTE.';
comment on view api.projects_count_grouped_by is 'Embedding spec fixture: projects counted per client (GROUP BY).';
comment on view api.authors_w_entities is 'Embedding spec fixture: authors with a subselect in a WHERE.';
grant select on api.authors_books_number, api.authors_have_book_in_decade, api.authors_have_book_in_decade2,
  api.forties_and_fifties_books, api.odd_years_publications, api.projects_count_grouped_by, api.authors_w_entities
  to anon, authenticated;

-- Projects through other views: every column, renamed key columns, a materialized view.
create view api.projects_view as select id, name, client_id from demo.projects;
create view api.projects_view_alt as select id as t_id, name, client_id as t_client_id from demo.projects;
create materialized view api.materialized_projects as select id, name, client_id from demo.projects;
comment on view api.projects_view is 'Embedding spec fixture: projects through a second view.';
comment on view api.projects_view_alt is 'Embedding spec fixture: projects with renamed key columns.';
comment on materialized view api.materialized_projects is 'Embedding spec fixture: projects as a materialized view.';
grant select on api.projects_view, api.projects_view_alt, api.materialized_projects to anon, authenticated;

-- Consumers and orders: views of views.
create table demo.public_consumers (
  id serial not null unique,
  name text not null check (name <> ''),
  primary key (id)
);
create table demo.public_orders (
  id serial not null unique,
  consumer integer not null references demo.public_consumers (id),
  number integer not null,
  primary key (id)
);
create view api.orders_view as select * from demo.public_orders;
create view api.consumers_view as select * from demo.public_consumers;
create view api.consumers_view_view as select * from api.consumers_view;
comment on view api.orders_view is 'Embedding spec fixture: orders of consumers.';
comment on view api.consumers_view is 'Embedding spec fixture: parents of orders_view.';
comment on view api.consumers_view_view is 'Embedding spec fixture: a view of consumers_view.';
grant select on api.orders_view, api.consumers_view, api.consumers_view_view to anon, authenticated;

-- A capitalized table name and a camelCase key column.
create table demo."Foo" (id int primary key, name text);
create table demo.bar (id int primary key, name text, "fooId" int references demo."Foo" (id));
create view api.foos as select id, name from demo."Foo";
create view api.bars as select id, "fooId", name from demo.bar;
comment on view api.foos is 'Embedding spec fixture: a capitalized table.';
comment on view api.bars is 'Embedding spec fixture: children of foos by a camelCase column.';
grant select on api.foos, api.bars to anon, authenticated;

-- A long compound key, and a composite key whose columns the referencing table lists in another order.
create table demo.player (
  id integer not null,
  first_name text not null,
  last_name text not null,
  birth_date date,
  primary key (last_name, id, first_name, birth_date)
);
create table demo.contract (
  tournament text not null,
  time tsrange not null,
  purchase_price int not null,
  id integer not null,
  first_name text not null,
  last_name text not null,
  birth_date date,
  foreign key (last_name, id, first_name, birth_date) references demo.player
);
insert into demo.player
  select generate_series, 'first_name_' || generate_series, 'last_name_' || generate_series, '2018-10-11'
  from generate_series(1, 12);
insert into demo.contract
  select 'tournament_' || generate_series, tsrange(now()::timestamp, null), 10 * generate_series, generate_series,
    'first_name_' || generate_series, 'last_name_' || generate_series, '2018-10-11'
  from generate_series(1, 6);
create view api.player_view as select * from demo.player;
create view api.contract as select * from demo.contract;
create view api.contract_view as select * from api.contract;
comment on view api.player_view is 'Embedding spec fixture: players, keyed by four columns.';
comment on view api.contract is 'Embedding spec fixture: contracts of players.';
comment on view api.contract_view is 'Embedding spec fixture: a view of the contract view.';
grant select on api.player_view, api.contract, api.contract_view to anon, authenticated;

create table demo.a (primary key (c1, c2), c1 int, c2 bool);
create table demo.b (c2 bool, c1 int, foreign key (c1, c2) references demo.a);
create view api.v1 as table demo.a;
create view api.v2 as table demo.b;
comment on view api.v1 is 'Embedding spec fixture: a table keyed by (c1, c2).';
comment on view api.v2 is 'Embedding spec fixture: refers to v1 with its columns in another order.';
grant select on api.v1, api.v2 to anon, authenticated;

-- A foreign key to a UNIQUE column that is not the primary key (there is none).
create table demo.pages (link int not null unique, url text);
create table demo.referrals (site text, link int references demo.pages (link) not null);
insert into demo.pages values (1, 'http://postgrest.org/en/v6.0/api.html'), (2, 'http://postgrest.org/en/v6.0/admin.html');
insert into demo.referrals values ('github.com', 1), ('hub.docker.com', 2);
create view api.pages as select * from demo.pages;
create view api.referrals as select * from demo.referrals;
comment on view api.pages is 'Embedding spec fixture: pages, unique by link.';
comment on view api.referrals is 'Embedding spec fixture: refers to pages by their unique link.';
grant select on api.pages, api.referrals to anon, authenticated;

-- Two foreign keys of one table to two others (#2070): a plate's wells are one-to-many, not many-to-many.
create table demo.plate (plate_id int primary key);
create table demo.well (
  well_id int primary key,
  plate_id int not null,
  parent_well_id int,
  constraint well_parent_well_id_fkey foreign key (parent_well_id) references demo.well (well_id),
  constraint well_plate_id_fkey foreign key (plate_id) references demo.plate (plate_id)
);
create table demo.plate_plan_step (
  plate_plan_step_id int primary key,
  from_well_id int,
  to_well_id int,
  to_plate_id int,
  constraint plate_plan_step_from_well_id_fkey foreign key (from_well_id) references demo.well (well_id),
  constraint plate_plan_step_to_plate_id_fkey foreign key (to_plate_id) references demo.plate (plate_id),
  constraint plate_plan_step_to_well_id_fkey foreign key (to_well_id) references demo.well (well_id)
);
create view api.plate as select plate_id from demo.plate;
create view api.well as select well_id, plate_id, parent_well_id from demo.well;
create view api.plate_plan_step as select plate_plan_step_id, from_well_id, to_well_id, to_plate_id from demo.plate_plan_step;
comment on view api.plate is 'Embedding spec fixture: parent of wells.';
comment on view api.well is 'Embedding spec fixture: wells of a plate, with a parent well.';
comment on view api.plate_plan_step is 'Embedding spec fixture: keys to wells and plates that make no junction.';
grant select on api.plate, api.well, api.plate_plan_step to anon, authenticated;

-- Partitioned tables, read through views: keys of and to partitioned tables are followed like any other.
create table demo.car_models (name varchar(64) not null, year int not null) partition by list (year);
create table demo.car_models_2021 partition of demo.car_models for values in (2021);
create table demo.car_models_default partition of demo.car_models for values in (1981, 1997, 2001, 2013);
create table demo.car_brands (name varchar(64) primary key);
alter table demo.car_models add primary key (name, year);
alter table demo.car_models add column car_brand_name varchar(64) references demo.car_brands (name);
create table demo.car_model_sales (
  date varchar(64) not null,
  quantity int not null,
  car_model_name varchar(64),
  car_model_year int,
  primary key (date, car_model_name, car_model_year),
  foreign key (car_model_name, car_model_year) references demo.car_models (name, year)
) partition by range (date);
create table demo.car_model_sales_202101 partition of demo.car_model_sales for values from ('2021-01-01') to ('2021-01-31');
create table demo.car_model_sales_default partition of demo.car_model_sales default;
create table demo.car_racers (
  name varchar(64) not null primary key,
  car_model_name varchar(64),
  car_model_year int,
  foreign key (car_model_name, car_model_year) references demo.car_models (name, year)
);
create table demo.car_dealers (name varchar(64) not null, city varchar(64) not null, primary key (name, city)) partition by list (city);
create table demo.car_dealers_springfield partition of demo.car_dealers for values in ('Springfield');
create table demo.car_dealers_default partition of demo.car_dealers default;
create table demo.car_models_car_dealers (
  car_model_name varchar(64) not null,
  car_model_year int not null,
  car_dealer_name varchar(64) not null,
  car_dealer_city varchar(64) not null,
  quantity int not null,
  foreign key (car_model_name, car_model_year) references demo.car_models (name, year),
  foreign key (car_dealer_name, car_dealer_city) references demo.car_dealers (name, city),
  primary key (car_model_name, car_model_year, car_dealer_name, car_dealer_city, quantity)
) partition by range (quantity);
create table demo.car_models_car_dealers_10to20 partition of demo.car_models_car_dealers for values from (10) to (20);
create table demo.car_models_car_dealers_default partition of demo.car_models_car_dealers default;

insert into demo.car_brands values ('DMC'), ('Ferrari'), ('Lamborghini');
insert into demo.car_models values
  ('DeLorean', 1981, 'DMC'), ('F310-B', 1997, 'Ferrari'), ('Veneno', 2013, 'Lamborghini'), ('Murcielago', 2001, 'Lamborghini');
insert into demo.car_model_sales values
  ('2021-01-14', 7, 'DeLorean', 1981), ('2021-01-15', 9, 'DeLorean', 1981),
  ('2021-02-11', 1, 'Murcielago', 2001), ('2021-02-12', 3, 'Murcielago', 2001);
insert into demo.car_racers values ('Alain Prost', null, null), ('Michael Schumacher', 'F310-B', 1997);
insert into demo.car_dealers values ('Springfield Cars S.A.', 'Springfield'), ('The Best Deals S.A.', 'Franklin');
insert into demo.car_models_car_dealers values
  ('DeLorean', 1981, 'Springfield Cars S.A.', 'Springfield', 15), ('Murcielago', 2001, 'The Best Deals S.A.', 'Franklin', 2);

create view api.car_models as select name, year, car_brand_name from demo.car_models;
create view api.car_brands as select name from demo.car_brands;
create view api.car_model_sales as select date, quantity, car_model_name, car_model_year from demo.car_model_sales;
create view api.car_racers as select name, car_model_name, car_model_year from demo.car_racers;
create view api.car_dealers as select name, city from demo.car_dealers;
create view api.car_models_car_dealers as
  select car_model_name, car_model_year, car_dealer_name, car_dealer_city, quantity from demo.car_models_car_dealers;
comment on view api.car_models is 'Embedding spec fixture: a partitioned table.';
comment on view api.car_brands is 'Embedding spec fixture: brands of car_models.';
comment on view api.car_model_sales is 'Embedding spec fixture: a partitioned table referring to another.';
comment on view api.car_racers is 'Embedding spec fixture: refers to the partitioned car_models.';
comment on view api.car_dealers is 'Embedding spec fixture: a partitioned table.';
comment on view api.car_models_car_dealers is 'Embedding spec fixture: a partitioned junction.';
grant select on api.car_models, api.car_brands, api.car_model_sales, api.car_racers, api.car_dealers,
  api.car_models_car_dealers to anon, authenticated;

-- Many-to-many, twice over: products and suppliers, suppliers and trade unions.
create table demo.products (id int primary key, name text);
create table demo.suppliers (id int primary key, name text);
create table demo.products_suppliers (
  product_id int references demo.products (id),
  supplier_id int references demo.suppliers (id),
  primary key (product_id, supplier_id)
);
create table demo.trade_unions (id int primary key, name text);
create table demo.suppliers_trade_unions (
  supplier_id int references demo.suppliers (id),
  trade_union_id int references demo.trade_unions (id),
  primary key (supplier_id, trade_union_id)
);
insert into demo.products values (1, 'product-1'), (2, 'product-2'), (3, 'product-3');
insert into demo.suppliers values (1, 'supplier-1'), (2, 'supplier-2'), (3, 'supplier-3');
insert into demo.products_suppliers values (1, 1), (1, 2), (2, 1), (2, 3);
insert into demo.trade_unions values (1, 'union-1'), (2, 'union-2'), (3, 'union-3'), (4, 'union-4');
insert into demo.suppliers_trade_unions values (1, 1), (1, 2), (2, 3), (2, 4);
create view api.products as select id, name from demo.products;
create view api.suppliers as select id, name from demo.suppliers;
create view api.products_suppliers as select product_id, supplier_id from demo.products_suppliers;
create view api.trade_unions as select id, name from demo.trade_unions;
create view api.suppliers_trade_unions as select supplier_id, trade_union_id from demo.suppliers_trade_unions;
comment on view api.products is 'Embedding spec fixture: many-to-many with suppliers.';
comment on view api.suppliers is 'Embedding spec fixture: many-to-many with products and with trade_unions.';
comment on view api.products_suppliers is 'Embedding spec fixture: the junction of products and suppliers.';
comment on view api.trade_unions is 'Embedding spec fixture: many-to-many with suppliers.';
comment on view api.suppliers_trade_unions is 'Embedding spec fixture: the junction of suppliers and trade_unions.';
grant select on api.products, api.suppliers, api.products_suppliers, api.trade_unions, api.suppliers_trade_unions
  to anon, authenticated;

-- A parent with two kinds of children (#1977).
create table demo.client (id int primary key, name text);
create table demo.contact (id int primary key, name text, clientid int references demo.client (id));
create table demo.clientinfo (id serial primary key, clientid int references demo.client (id), other text);
insert into demo.client values (1, 'Walmart'), (2, 'Target'), (3, 'Big Lots');
insert into demo.contact values
  (1, 'Wally Walton', 1), (2, 'Wilma Wellers', 1), (3, 'Tabby Targo', 2), (4, 'Bobby Bots', 3), (5, 'Bonnie Bits', 3),
  (6, 'Billy Boats', 3);
insert into demo.clientinfo values (1, 1, '123 Main St'), (2, 2, '456 South 3rd St'), (3, 3, '789 Palm Tree Ln');
create view api.client as select id, name from demo.client;
create view api.contact as select id, name, clientid from demo.contact;
create view api.clientinfo as select id, clientid, other from demo.clientinfo;
comment on view api.client is 'Embedding spec fixture: parent of contact and clientinfo.';
comment on view api.contact is 'Embedding spec fixture: contacts of a client.';
comment on view api.clientinfo is 'Embedding spec fixture: other information on a client.';
grant select on api.client, api.contact, api.clientinfo to anon, authenticated;

-- Actors and films, many-to-many through personnages: PostgREST's views over private tables.
create table demo.actors (id int, name text, constraint actors_id primary key (id));
create table demo.films (id integer, title text, constraint films_id primary key (id));
create table demo.personnages (
  film_id int not null,
  role_id int not null,
  character text not null,
  constraint personnages_film_id_role_id primary key (film_id, role_id),
  constraint personnages_film_id_fkey foreign key (film_id) references demo.films (id),
  constraint personnages_role_id_fkey foreign key (role_id) references demo.actors (id)
);
insert into demo.actors values (1, 'john'), (2, 'mary');
insert into demo.films values (12, 'douze commandements'), (2001, 'odyssée de l''espace');
insert into demo.personnages values (12, 1, 'méchant'), (2001, 2, 'astronaute');
create view api.actors as select * from demo.actors;
create view api.films as select * from demo.films;
create view api.personnages as select * from demo.personnages;
comment on view api.actors is 'Embedding spec fixture: many-to-many with films.';
comment on view api.films is 'Embedding spec fixture: many-to-many with actors.';
comment on view api.personnages is 'Embedding spec fixture: the junction of films and actors.';
grant select on api.actors, api.films, api.personnages to anon, authenticated;

-- Yards and their groups, for a function's rows embedding a many-to-many (#2565).
create table demo.groups (name text primary key);
create table demo.yards (id bigint primary key);
create table demo.group_yard (
  id bigint not null,
  group_id text not null references demo.groups (name),
  yard_id bigint not null references demo.yards (id),
  primary key (id, group_id, yard_id)
);
create view api.groups as select name from demo.groups;
create view api.yards as select id from demo.yards;
create view api.group_yard as select id, group_id, yard_id from demo.group_yard;
comment on view api.groups is 'Embedding spec fixture: many-to-many with yards.';
comment on view api.yards is 'Embedding spec fixture: many-to-many with groups.';
comment on view api.group_yard is 'Embedding spec fixture: the junction of groups and yards (with an id of its own).';
grant select on api.groups, api.yards, api.group_yard to anon, authenticated;

-- Places visited more than once: the same table embedded under two names.
create type demo.visit_type as enum ('vacation', 'work');
create table demo.places (id int primary key generated always as identity, name text not null);
create table demo.visits (
  id int primary key generated always as identity,
  place_id int not null references demo.places (id),
  start_time timestamp,
  end_time timestamp,
  visit_type demo.visit_type
);
insert into demo.places (name) values ('Lake'), ('Mountain'), ('Beach');
insert into demo.visits (place_id, start_time, end_time, visit_type) values
  (1, '2025-01-01 10:00', '2025-01-01 11:00', 'vacation'), (1, '2025-01-01 15:00', '2025-01-01 16:00', 'vacation'),
  (1, '2025-01-01 20:00', '2025-01-01 21:00', 'work'), (2, '2024-11-01 09:00', '2024-11-01 10:00', 'vacation'),
  (3, '2024-12-02 13:00', '2024-12-02 14:00', 'vacation'), (1, '2023-01-02 20:00', '2023-01-01 21:00', 'work');
create view api.places as select id, name from demo.places;
create view api.visits as select id, place_id, start_time, end_time, visit_type from demo.visits;
comment on view api.places is 'Embedding spec fixture: places with visits.';
comment on view api.visits is 'Embedding spec fixture: visits of a place, of two types.';
grant select on api.places, api.visits to anon, authenticated;

-- Written by the write specs: a self-reference, and artists whose albums go with them.
create table demo.web_content (id integer, name text, p_web_id integer references demo.web_content (id), primary key (id));
insert into demo.web_content values (5, 'wat', null), (0, 'tardis', 5), (1, 'fezz', 0), (2, 'foo', 0), (3, 'bar', 0), (4, 'wut', 1);
create view api.web_content as select id, name, p_web_id from demo.web_content;
comment on view api.web_content is 'Embedding spec fixture: a self-reference (p_web_id), written by the write specs.';
grant select, insert, update on api.web_content to anon, authenticated;

create table demo.artists (id int primary key, name text);
create table demo.albums (
  id int primary key,
  title text,
  artist_id int,
  constraint fk_artist foreign key (artist_id) references demo.artists (id) on update cascade on delete cascade
);
insert into demo.artists values (1, 'duster'), (2, 'black country, new road'), (3, 'bjork');
insert into demo.albums values (1, 'stratosphere', 1), (2, 'ants from up above', 2), (3, 'vespertine', 3), (4, 'contemporary movement', 1);
create view api.artists as select id, name from demo.artists;
create view api.albums as select id, title, artist_id from demo.albums;
comment on view api.artists is 'Embedding spec fixture: artists, written by the write specs.';
comment on view api.albums is 'Embedding spec fixture: albums of an artist, deleted with it.';
grant select, insert, update, delete on api.artists to anon, authenticated;
grant select on api.albums to anon, authenticated;

-- The write specs rename user 1.
grant update on api.users to anon, authenticated;

-- Functions returning rows of views, embedded like the views' own rows.
create function api.getallprojects() returns setof api.projects
language sql stable rows 2019 as $$ select * from api.projects $$;
comment on function api.getallprojects() is 'Embedding spec fixture: every project.';
grant execute on function api.getallprojects() to anon, authenticated;

create function api.getproject(id int) returns setof api.projects
language sql as $$ select * from api.projects where id = $1 $$;
comment on function api.getproject(int) is 'Embedding spec fixture: one project, from a volatile function.';
grant execute on function api.getproject(int) to anon, authenticated;

create domain api.projects_domain as api.projects;
comment on domain api.projects_domain is 'Embedding spec fixture: a domain over the projects row type.';

create function api.getproject_domain(id int) returns setof api.projects_domain
language sql stable as $$ select projects::api.projects_domain from api.projects where id = $1 $$;
comment on function api.getproject_domain(int) is 'Embedding spec fixture: one project, as a domain over its row type.';
grant execute on function api.getproject_domain(int) to anon, authenticated;

create function api.getallusers() returns setof api.users
language sql stable as $$ select * from api.users $$;
comment on function api.getallusers() is 'Embedding spec fixture: every user.';
grant execute on function api.getallusers() to anon, authenticated;

create function api.allcountries() returns setof api.country
language sql stable as $$ select * from api.country $$;
comment on function api.allcountries() is 'Embedding spec fixture: every country.';
grant execute on function api.allcountries() to anon, authenticated;

create function api.allcapitals() returns setof api.capital
language sql stable as $$ select * from api.capital $$;
comment on function api.allcapitals() is 'Embedding spec fixture: every capital.';
grant execute on function api.allcapitals() to anon, authenticated;

create function api.single_article(id integer) returns api.articles
language sql as $$ select a.* from api.articles a where a.id = $1 $$;
comment on function api.single_article(integer) is 'Embedding spec fixture: one article, not setof.';
grant execute on function api.single_article(integer) to anon, authenticated;

create function api.get_yards() returns setof api.yards
language sql as $$ select * from api.yards $$;
comment on function api.get_yards() is 'Embedding spec fixture: every yard.';
grant execute on function api.get_yards() to anon, authenticated;

-- Overloads told apart by their arguments; two return tasks (#1672).
create function api.overloaded_default(opt_param text default 'Code w7') returns setof api.tasks
language sql as $$ select * from api.tasks where name like opt_param $$;
create function api.overloaded_default(must_param int) returns jsonb
language sql as $$ select row_to_json(r)::jsonb from (select must_param as val) as r $$;
create function api.overloaded_default(a int, opt_param text default 'Design IOS') returns setof api.tasks
language sql as $$ select * from api.tasks where name like opt_param and id > a $$;
create function api.overloaded_default(a int, must_param int) returns jsonb
language sql as $$ select row_to_json(r)::jsonb from (select a, must_param as val) as r $$;
comment on function api.overloaded_default(text) is 'Embedding spec fixture: tasks named like opt_param.';
comment on function api.overloaded_default(int) is 'Embedding spec fixture: must_param as an object.';
comment on function api.overloaded_default(int, text) is 'Embedding spec fixture: tasks named like opt_param after a.';
comment on function api.overloaded_default(int, int) is 'Embedding spec fixture: a and must_param as an object.';
grant execute on function api.overloaded_default(text), api.overloaded_default(int), api.overloaded_default(int, text),
  api.overloaded_default(int, int) to anon, authenticated;

reset role;

-- SpreadQueriesSpec and AggregateFunctionsSpec (Api/EmbedSpreadSpecTests, Api/EmbedAggregateSpecTests): the rest of
-- the PostgREST fixture their cases read, as private tables in demo with api views of the same names, keys and rows.
-- (Their factories/processes/supervisors/operators tables are Api/spread-aggregate-fixture.sql.) Every view may be
-- read by anon and authenticated, and the computed relationship called by both.
set role gateway_owner;

-- Videogames and their designers: computed_designers is a to-one computed relationship (setof, rows 1).
create table demo.designers (id int primary key, name text);
create table demo.videogames (id int primary key, name text, designer_id int references demo.designers (id));
insert into demo.designers values (1, 'Sid Meier'), (2, 'Hironobu Sakaguchi');
insert into demo.videogames values
  (1, 'Civilization I', 1), (2, 'Civilization II', 1), (3, 'Final Fantasy I', 2), (4, 'Final Fantasy II', 2);

create view api.designers as select id, name from demo.designers;
comment on view api.designers is 'Spread spec fixture: designers of videogames.';
create view api.videogames as select id, name, designer_id from demo.videogames;
comment on view api.videogames is 'Spread spec fixture: videogames, many-to-one to designers.';
grant select on api.designers, api.videogames to anon, authenticated;

create function api.computed_designers(videogame api.videogames) returns setof api.designers
language sql stable rows 1 as $$ select * from api.designers where id = videogame.designer_id $$;
comment on function api.computed_designers(api.videogames) is 'Spread spec fixture: to-one computed relationship (setof, rows 1).';
grant execute on function api.computed_designers(api.videogames) to anon, authenticated;

-- Organizations refer to themselves twice (referee, auditor) and to their manager (constraint manager), so a
-- manager's organizations are a to-many spread whose referee may be null.
create table demo.managers (id integer primary key, name text);
create table demo.organizations (
  id integer primary key,
  name text,
  referee integer references demo.organizations (id),
  auditor integer references demo.organizations (id),
  manager_id integer constraint manager references demo.managers (id)
);
insert into demo.managers values
  (1, 'Referee Manager'), (2, 'Auditor Manager'), (3, 'Acme Manager'), (4, 'Umbrella Manager'),
  (5, 'Cyberdyne Manager'), (6, 'Oscorp Manager');
insert into demo.organizations values
  (1, 'Referee Org', null, null, 1), (2, 'Auditor Org', null, null, 2), (3, 'Acme', 1, 2, 3), (4, 'Umbrella', 1, 2, 4),
  (5, 'Cyberdyne', 3, 4, 5), (6, 'Oscorp', 3, 4, 6);

create view api.managers as select id, name from demo.managers;
comment on view api.managers is 'Spread spec fixture: managers of organizations.';
create view api.organizations as select id, name, referee, auditor, manager_id from demo.organizations;
comment on view api.organizations is 'Spread spec fixture: organizations, with two self-references and a manager.';
grant select on api.managers, api.organizations to anon, authenticated;

-- Invoices per project (numeric totals, so sums and averages keep PostgreSQL's numeric scale).
create table demo.project_invoices (
  id int primary key,
  invoice_total numeric,
  project_id integer references demo.projects (id)
);
insert into demo.project_invoices values
  (1, 100, 1), (2, 200, 1), (3, 500, 2), (4, 700, 2), (5, 1200, 3), (6, 2000, 3), (7, 100, 4), (8, 4000, 4);

create view api.project_invoices as select id, invoice_total, project_id from demo.project_invoices;
comment on view api.project_invoices is 'Aggregate spec fixture: invoices, many-to-one to projects.';
grant select on api.project_invoices to anon, authenticated;

-- Budgets: expenses per category, for aggregates on both sides of a to-one spread.
create table demo.budget_categories (
  id int primary key,
  category_name text,
  budget_owner text,
  budget_amount numeric
);
create table demo.budget_expenses (
  id int primary key,
  expense_amount numeric,
  budget_category_id integer references demo.budget_categories (id)
);
insert into demo.budget_categories values
  (1, 'Beanie Babies', 'Brian Smith', 1000.31), (2, 'DVDs', 'Jane Clarkson', 2000.12), (3, 'Pizza', 'Brian Smith', 1000.11),
  (4, 'Opera Tickets', 'Jane Clarkson', 7000.41), (5, 'Nuclear Fusion Research', 'Sally Hughes', 500.23),
  (6, 'T-5hirts', 'Dana de Groot', 500.33);
insert into demo.budget_expenses values (1, 200.26, 1), (2, 400.26, 3), (3, 100.22, 4), (5, 900.27, 5);

create view api.budget_categories as select id, category_name, budget_owner, budget_amount from demo.budget_categories;
comment on view api.budget_categories is 'Aggregate spec fixture: budget categories.';
create view api.budget_expenses as select id, expense_amount, budget_category_id from demo.budget_expenses;
comment on view api.budget_expenses is 'Aggregate spec fixture: expenses, many-to-one to budget_categories.';
grant select on api.budget_categories, api.budget_expenses to anon, authenticated;

-- A jsonb column to aggregate through a JSON path and a cast.
create table demo.trash (id int primary key);
create table demo.trash_details (id int primary key references demo.trash (id), jsonb_col jsonb);
insert into demo.trash values (1), (2), (3);
insert into demo.trash_details values (1, '{"key": 10}'), (2, '{"key": 6}'), (3, '{"key": 8}');

create view api.trash as select id from demo.trash;
comment on view api.trash is 'Aggregate spec fixture: parents of trash_details.';
create view api.trash_details as select id, jsonb_col from demo.trash_details;
comment on view api.trash_details is 'Aggregate spec fixture: a jsonb column.';
grant select on api.trash, api.trash_details to anon, authenticated;

reset role;
