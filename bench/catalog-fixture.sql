-- The catalog bench's schema (bench/catalog.sh, its own database only): 1,000 private tables, each with a primary
-- key and two foreign keys to other tables (2,000 keys), and one api view over each that shows every column, as
-- an api schema of views over private tables does. Every key is shown at both ends, so each gives a relationship
-- both ways. Created as the owner and granted like real api views, since the catalog reads the grants too.
-- (Re)created whole: dropping the schema drops its views too.
drop schema if exists catalog_bench cascade;
create schema catalog_bench authorization gateway_owner;

set role gateway_owner;

do $$
begin
  for i in 1..1000 loop
    execute format($sql$
      create table catalog_bench.t%1$s (
        id integer primary key,
        name text not null,
        parent_id integer,
        other_id integer,
        amount numeric(10, 2),
        active boolean not null default true,
        note text,
        created_at timestamptz not null default now())
      $sql$, i);
  end loop;

  for i in 1..1000 loop
    execute format($sql$
      alter table catalog_bench.t%1$s
        add constraint t%1$s_parent_id_fkey foreign key (parent_id) references catalog_bench.t%2$s (id),
        add constraint t%1$s_other_id_fkey foreign key (other_id) references catalog_bench.t%3$s (id);
      create view api.bench_v%1$s as
        select id, name, parent_id, other_id, amount, active, note, created_at from catalog_bench.t%1$s;
      grant select, insert, update, delete on api.bench_v%1$s to authenticated;
      grant select on api.bench_v%1$s to anon;
      $sql$, i, 1 + i % 1000, 1 + (i * 7) % 1000);
  end loop;
end
$$;

reset role;
