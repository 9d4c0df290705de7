// Ordering, paging, counts, HEAD, and the response shapes single(), maybeSingle() and csv(), on api.items.
import { test } from 'node:test';
import { anon, expectData, expectError } from './support.js';

const ids = (...values) => values.map((id) => ({ id }));

test('order descending with nulls last, and with PostgreSQL\'s default of nulls first', async () => {
    expectData(await anon.from('items').select('id').order('price', { ascending: false, nullsFirst: false }), 200, ids(2, 1, 5, 3, 4));
    expectData(await anon.from('items').select('id').order('price', { ascending: false }), 200, ids(4, 2, 1, 5, 3));
});

test('order by several columns, and by a JSON path', async () => {
    expectData(await anon.from('items').select('id').order('active').order('id', { ascending: false }), 200, ids(5, 2, 3, 1, 4));
    expectData(await anon.from('items').select('id').order('data->>color').order('id'), 200, ids(5, 1, 3, 2, 4));
});

test('limit', async () => {
    expectData(await anon.from('items').select('id').order('id').limit(2), 200, ids(1, 2));
});

test('range is an offset and a limit', async () => {
    expectData(await anon.from('items').select('id').order('id').range(1, 3), 200, ids(2, 3, 4));
});

test('count exact with a page smaller than the total answers 206 with the total', async () => {
    expectData(await anon.from('items').select('id', { count: 'exact' }).order('id').range(0, 1), 206, ids(1, 2), { count: 5 });
});

test('count exact counts the filtered rows', async () => {
    expectData(await anon.from('items').select('id', { count: 'exact' }).eq('active', true).order('id'), 200, ids(1, 3), { count: 2 });
});

test('count planned reports the planner\'s estimate (the table is analyzed, so it is exact here)', async () => {
    expectData(await anon.from('items').select('id', { count: 'planned' }).order('id'), 200, ids(1, 2, 3, 4, 5), { count: 5 });
});

test('head with a count returns the count and no data', async () => {
    expectData(await anon.from('items').select('*', { count: 'exact', head: true }), 200, null, { count: 5 });
    expectData(await anon.from('items').select('id', { count: 'exact', head: true }).gt('id', 3), 200, null, { count: 2 });
});

test('head without a count returns neither', async () => {
    expectData(await anon.from('items').select('id', { head: true }), 200, null, { count: null });
});

test('single returns the one row as an object', async () => {
    expectData(await anon.from('items').select('id, name').eq('id', 1).single(), 200, { id: 1, name: 'apple' });
});

test('single with several rows is 406 PGRST116', async () => {
    expectError(await anon.from('items').select('id').single(), 406, {
        code: 'PGRST116',
        message: 'Cannot coerce the result to a single JSON object',
        details: 'The result contains 5 rows',
        hint: null,
    });
});

test('single with no row is 406 PGRST116', async () => {
    expectError(await anon.from('items').select('id').eq('id', 99).single(), 406, {
        code: 'PGRST116',
        message: 'Cannot coerce the result to a single JSON object',
        details: 'The result contains 0 rows',
        hint: null,
    });
});

test('maybeSingle returns the row, or null when there is none', async () => {
    expectData(await anon.from('items').select('id, name').eq('id', 2).maybeSingle(), 200, { id: 2, name: 'banana' });
    expectData(await anon.from('items').select('id, name').eq('id', 99).maybeSingle(), 200, null);
});

test('csv returns a header and one line per row, quoted as PostgreSQL quotes records', async () => {
    expectData(
        await anon.from('items').select('id, name, price').in('id', [1, 4]).order('id').csv(),
        200,
        'id,name,price\n1,apple,9.99\n4,"Date, ""dried""",',
    );
});
