// rpc(): POST and { get: true }, scalar, composite and set results, filters and modifiers on set results.
import { test } from 'node:test';
import { anon, expectData, user, userClaims } from './support.js';

// The result with only some keys of its data object, for functions whose other keys vary from run to run.
const fields = (result, ...keys) => ({ ...result, data: result.data && Object.fromEntries(keys.map((key) => [key, result.data[key]])) });

test('scalar result by POST and by GET', async () => {
    expectData(await anon.rpc('add', { a: 2, b: 3 }), 200, 5);
    expectData(await anon.rpc('add', { a: 2, b: 3 }, { get: true }), 200, 5);
});

test('arguments with defaults may be left out', async () => {
    expectData(await anon.rpc('greet'), 200, 'Hello, world!');
    expectData(await anon.rpc('greet', { name: 'postgrest-js' }, { get: true }), 200, 'Hello, postgrest-js!');
});

test('set of scalars', async () => {
    expectData(await anon.rpc('numbers'), 200, [1, 2, 3]);
    expectData(await anon.rpc('numbers', {}, { get: true }), 200, [1, 2, 3]);
});

test('OUT parameters make an object', async () => {
    expectData(await anon.rpc('doubled', { x: 4 }), 200, { doubled: 8, tripled: 12 });
});

test('a single composite is an object, shaped by select', async () => {
    expectData(await anon.rpc('item', { item_id: 2 }).select('id, name'), 200, { id: 2, name: 'banana' });
});

test('a set of rows is an array, shaped by select', async () => {
    expectData(await anon.rpc('items_named', { prefix: 'b' }).select('id, name'), 200, [{ id: 2, name: 'banana' }]);
});

test('filters, order and limit apply to a set of rows by POST', async () => {
    expectData(
        await anon.rpc('all_items').select('id, name').gt('id', 2).order('id', { ascending: false }).limit(2),
        200,
        [{ id: 5, name: 'elderberry' }, { id: 4, name: 'Date, "dried"' }],
    );
});

test('filters apply to a set of rows by GET, beside the arguments', async () => {
    expectData(await anon.rpc('all_items', {}, { get: true }).select('id').in('id', [1, 2]).order('id'), 200, [{ id: 1 }, { id: 2 }]);
    expectData(await anon.rpc('items_named', { prefix: 'e' }, { get: true }).select('name').eq('active', false), 200, [{ name: 'elderberry' }]);
});

test('count exact on a set of rows', async () => {
    expectData(
        await anon.rpc('all_items', {}, { count: 'exact' }).select('id').lte('id', 3).order('id'),
        200,
        [{ id: 1 }, { id: 2 }, { id: 3 }],
        { count: 3 },
    );
});

test('head with a count on a set of rows', async () => {
    expectData(await anon.rpc('all_items', {}, { head: true, count: 'exact' }), 200, null, { count: 5 });
});

test('single on a set of rows', async () => {
    expectData(await anon.rpc('all_items').select('id, name').eq('id', 3).single(), 200, { id: 3, name: 'cherry' });
});

test('a void function answers 204 with no data', async () => {
    expectData(await anon.rpc('noop'), 204, null);
});

test('a function with one unnamed json parameter receives the whole body', async () => {
    expectData(await anon.rpc('echo', { any: { nested: [1, 2] } }), 200, { any: { nested: [1, 2] } });
});

test('a function with one unnamed text parameter is called by the empty name, with the body as sent', async () => {
    // postgrest-js always sends JSON; the "" key names the unnamed parameter, which receives the body whole (PostgREST).
    expectData(await anon.rpc('echo_text', { '': 'x' }), 200, '{"":"x"}');
});

test('array arguments', async () => {
    expectData(await anon.rpc('sum_all', { v: [1, 2, 3] }), 200, 6);
});

test('overloads are told apart by argument names', async () => {
    expectData(await anon.rpc('pick', { x: 7 }), 200, 'x=7');
    expectData(await anon.rpc('pick', { y: 'seven' }, { get: true }), 200, 'y=seven');
});

test('a function runs as the token\'s role and sees its claims', async () => {
    const signedIn = await user.rpc('whoami');
    expectData(fields(signedIn, 'role', 'claims', 'method', 'path', 'read_only'), 200, {
        role: 'authenticated',
        claims: userClaims,
        method: 'POST',
        path: '/rpc/whoami',
        read_only: 'on',
    });
    const anonymous = await anon.rpc('whoami', {}, { get: true });
    expectData(fields(anonymous, 'role', 'claims', 'method', 'read_only'), 200, {
        role: 'anon',
        claims: { role: 'anon' },
        method: 'GET',
        read_only: 'on',
    });
});
