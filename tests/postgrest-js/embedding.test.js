// Resource embedding as frontends write it: embeds with aliases, !inner, spreads, filters, order and limit addressed
// to an embed, and aggregates (the socket gateway runs with Gateway:AggregatesEnabled=true), on the views of
// Api/embedding-fixture.sql. Read-only, so the files running in parallel cannot disturb each other.
import { test } from 'node:test';
import { anon, expectData, expectError } from './support.js';

test('select with a to-one embed under an alias and a to-many embed', async () => {
    expectData(
        await anon.from('projects').select('id, name, client:clients(name), tasks(id, name)').lt('id', 3).order('id').order('id', { referencedTable: 'tasks' }),
        200,
        [
            { id: 1, name: 'Windows 7', client: { name: 'Microsoft' }, tasks: [{ id: 1, name: 'Design w7' }, { id: 2, name: 'Code w7' }] },
            { id: 2, name: 'Windows 10', client: { name: 'Microsoft' }, tasks: [{ id: 3, name: 'Design w10' }, { id: 4, name: 'Code w10' }] },
        ],
    );
});

test('a project without a client embeds null, a project without tasks an empty array', async () => {
    expectData(await anon.from('projects').select('name, clients(name), tasks(id)').eq('id', 5), 200, [{ name: 'Orphan', clients: null, tasks: [] }]);
});

test('many-to-many through the junction, nested in a many-to-one', async () => {
    expectData(
        await anon.from('tasks').select('name, projects(name, clients(name)), users(name)').eq('id', 1).order('id', { referencedTable: 'users' }),
        200,
        [{ name: 'Design w7', projects: { name: 'Windows 7', clients: { name: 'Microsoft' } }, users: [{ name: 'Angela Martin' }, { name: 'Dwight Schrute' }] }],
    );
});

test('!inner with a filter on the embed keeps only the parents with matching children', async () => {
    expectData(
        await anon.from('projects').select('id, tasks!inner(id)').in('tasks.name', ['Design IOS', 'Code OSX']).order('id'),
        200,
        [{ id: 3, tasks: [{ id: 5 }] }, { id: 4, tasks: [{ id: 8 }] }],
    );
});

test('!inner with an exact count counts the remaining parents', async () => {
    expectData(
        await anon.from('projects').select('id, clients!inner(name)', { count: 'exact' }).eq('clients.name', 'Apple').order('id'),
        200,
        [{ id: 3, clients: { name: 'Apple' } }, { id: 4, clients: { name: 'Apple' } }],
        { count: 2 },
    );
});

test('a filter on an embed filters the children and keeps every parent', async () => {
    expectData(
        await anon.from('projects').select('id, tasks(id)').eq('tasks.name', 'Code w7').lt('id', 3).order('id'),
        200,
        [{ id: 1, tasks: [{ id: 2 }] }, { id: 2, tasks: [] }],
    );
});

test('or on an embed', async () => {
    expectData(
        await anon.from('projects').select('id, tasks(id)').or('id.eq.1,id.eq.4', { referencedTable: 'tasks' }).lt('id', 3).order('id').order('id', { referencedTable: 'tasks' }),
        200,
        [{ id: 1, tasks: [{ id: 1 }] }, { id: 2, tasks: [{ id: 4 }] }],
    );
});

test('order and limit on an embed apply to each parent\'s children', async () => {
    expectData(
        await anon.from('projects').select('id, tasks(id)').lt('id', 3).order('id')
            .order('id', { referencedTable: 'tasks', ascending: false }).limit(1, { referencedTable: 'tasks' }),
        200,
        [{ id: 1, tasks: [{ id: 2 }] }, { id: 2, tasks: [{ id: 4 }] }],
    );
});

test('range on an embed is an offset and a limit for each parent\'s children', async () => {
    expectData(
        await anon.from('projects').select('id, tasks(id)').eq('id', 1).order('id', { referencedTable: 'tasks' }).range(1, 1, { referencedTable: 'tasks' }),
        200,
        [{ id: 1, tasks: [{ id: 2 }] }],
    );
});

test('a to-one spread lifts the columns, a to-many spread gives arrays', async () => {
    expectData(
        await anon.from('projects').select('id, ...clients(client:name)').in('id', [1, 3, 5]).order('id'),
        200,
        [{ id: 1, client: 'Microsoft' }, { id: 3, client: 'Apple' }, { id: 5, client: null }],
    );
    expectData(
        await anon.from('clients').select('id, ...projects(projects:name)').order('id').order('id', { referencedTable: 'projects' }),
        200,
        [{ id: 1, projects: ['Windows 7', 'Windows 10'] }, { id: 2, projects: ['IOS', 'OSX'] }],
    );
});

test('two keys to the same view are told apart by hints', async () => {
    expectData(
        await anon.from('messages').select('body, sender:users!sender_id(name), recipient:users!messages_recipient_id_fkey(name)').eq('id', 1),
        200,
        [{ body: 'Hello Michael', sender: { name: 'Angela Martin' }, recipient: { name: 'Michael Scott' } }],
    );
});

test('an ambiguous embed is 300 PGRST201', async () => {
    const result = await anon.from('messages').select('id, users(name)');
    const where = JSON.stringify({ status: result.status, error: result.error });
    if (result.status !== 300 || result.error?.code !== 'PGRST201' || !Array.isArray(result.error?.details) || result.error.details.length !== 2) {
        throw new Error(`expected 300 PGRST201 with two candidates in details: ${where}`);
    }
});

test('an embed with no relationship is 400 PGRST200', async () => {
    expectError(await anon.from('clients').select('id, projetcs(name)'), 400, {
        code: 'PGRST200',
        message: 'Could not find a relationship between \'clients\' and \'projetcs\' in the schema cache',
        details: 'Searched for a foreign key relationship between \'clients\' and \'projetcs\' in the schema \'api\', but no matches were found.',
        hint: 'Perhaps you meant \'projects\' instead of \'projetcs\'.',
    });
});

test('a filter on an embed that is not selected is 400 PGRST108', async () => {
    expectError(await anon.from('projects').select('id').eq('tasks.done', true), 400, {
        code: 'PGRST108',
        message: '\'tasks\' is not an embedded resource in this request',
        details: null,
        hint: 'Verify that \'tasks\' is included in the \'select\' query parameter.',
    });
});

test('count as a column, the form older frontends write, counts each parent\'s children', async () => {
    expectData(await anon.from('clients').select('name, projects(count)').order('id'), 200, [
        { name: 'Microsoft', projects: [{ count: 2 }] },
        { name: 'Apple', projects: [{ count: 2 }] },
    ]);
});

test('aggregates: count(), sum() grouped by the other columns, and count() inside an embed', async () => {
    expectData(await anon.from('tasks').select('count()'), 200, [{ count: 8 }]);
    expectData(await anon.from('projects').select('client_id, ids:id.sum()').order('client_id'), 200, [
        { client_id: 1, ids: 3 },
        { client_id: 2, ids: 7 },
        { client_id: null, ids: 5 },
    ]);
    expectData(await anon.from('clients').select('name, projects(count())').order('id'), 200, [
        { name: 'Microsoft', projects: [{ count: 2 }] },
        { name: 'Apple', projects: [{ count: 2 }] },
    ]);
});
