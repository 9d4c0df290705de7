// The demo api.todos through the gateway as two signed-in users: each inserts, reads, updates and deletes only
// their own rows, whatever the filters say, because row-level security runs with each request's claims.
import { test } from 'node:test';
import { anon, expectData, expectError, otherUser, unique, user } from './support.js';

// Creates todos as `client` and returns [{ todo_id, title, done }] in the order of the titles.
async function createTodos(client, count) {
    const titles = Array.from({ length: count }, (_, i) => unique(`todo ${i}`));
    const created = await client.from('todos').insert(titles.map((title) => ({ title }))).select('todo_id, title, done');
    const rows = Array.isArray(created.data) ? [...created.data].sort((a, b) => titles.indexOf(a.title) - titles.indexOf(b.title)) : created.data;
    expectData({ ...created, data: rows?.map(({ title, done }) => ({ title, done })) }, 201, titles.map((title) => ({ title, done: false })));
    return rows;
}

const idsOf = (rows) => rows.map((row) => row.todo_id);

test('a user inserts todos and reads them back', async () => {
    const rows = await createTodos(user, 2);
    expectData(await user.from('todos').select('todo_id, title, done').in('todo_id', idsOf(rows)).order('todo_id'), 200,
        [...rows].sort((a, b) => a.todo_id - b.todo_id));
});

test('another user cannot see them, whatever the filters say', async () => {
    const ids = idsOf(await createTodos(user, 2));
    expectData(await otherUser.from('todos').select('todo_id').in('todo_id', ids), 200, []);
    expectData(await otherUser.from('todos').select('todo_id').or(`todo_id.eq.${ids[0]},todo_id.eq.${ids[1]}`), 200, []);
    expectData(await otherUser.from('todos').select('todo_id', { count: 'exact', head: true }).in('todo_id', ids), 200, null, { count: 0 });
});

test('another user cannot change or delete them', async () => {
    const rows = await createTodos(user, 2);
    const ids = idsOf(rows);
    expectData(await otherUser.from('todos').update({ done: true, title: 'taken over' }).in('todo_id', ids).select('todo_id'), 200, []);
    expectData(await otherUser.from('todos').delete().in('todo_id', ids).select('todo_id'), 200, []);
    expectData(await otherUser.from('todos').delete({ count: 'exact' }).in('todo_id', ids), 204, null, { count: 0 });
    expectData(await user.from('todos').select('todo_id, title, done').in('todo_id', ids).order('todo_id'), 200,
        [...rows].sort((a, b) => a.todo_id - b.todo_id));
});

test('a user updates their own todo', async () => {
    const [todo] = await createTodos(user, 1);
    expectData(await user.from('todos').update({ done: true }).eq('todo_id', todo.todo_id).select('todo_id, done'), 200,
        [{ todo_id: todo.todo_id, done: true }]);
    expectData(await user.from('todos').update({ title: 'renamed' }).eq('todo_id', todo.todo_id), 204, null);
    expectData(await user.from('todos').select('title, done').eq('todo_id', todo.todo_id).single(), 200, { title: 'renamed', done: true });
});

test('a user deletes their own todos', async () => {
    const [first, second] = await createTodos(user, 2);
    expectData(await user.from('todos').delete().eq('todo_id', first.todo_id), 204, null);
    expectData(await user.from('todos').delete().eq('todo_id', second.todo_id).select('title'), 200, [{ title: second.title }]);
    expectData(await user.from('todos').select('todo_id').in('todo_id', [first.todo_id, second.todo_id]), 200, []);
});

test('each user sees only their own todos in an unfiltered read', async () => {
    const mine = idsOf(await createTodos(user, 1));
    const theirs = idsOf(await createTodos(otherUser, 1));
    const seenByMe = await user.from('todos').select('todo_id');
    const seenByThem = await otherUser.from('todos').select('todo_id');
    expectData({ ...seenByMe, data: idsOf(seenByMe.data ?? []).filter((id) => [...mine, ...theirs].includes(id)) }, 200, mine);
    expectData({ ...seenByThem, data: idsOf(seenByThem.data ?? []).filter((id) => [...mine, ...theirs].includes(id)) }, 200, theirs);
});

test('anon may not read or write todos: 401 42501', async () => {
    const refused = { code: '42501', message: 'permission denied for view todos', details: null, hint: null };
    expectError(await anon.from('todos').insert({ title: 'anonymous' }), 401, refused);
    expectError(await anon.from('todos').delete().eq('todo_id', 1), 401, refused);
});
