import assert from 'node:assert/strict';
// Errors as postgrest-js hands them to the frontend: error.code, message, details and hint, and the status,
// each as PostgREST answers them (contract §4).
import { test } from 'node:test';
import { anon, expectData, expectError, unique, user } from './support.js';

test('an unknown view is 404 PGRST205 with the nearest name as hint', async () => {
    expectError(await anon.from('itemz').select(), 404, {
        code: 'PGRST205',
        message: "Could not find the table 'api.itemz' in the schema cache",
        details: null,
        hint: "Perhaps you meant the table 'api.items'",
    });
});

test('an unknown function is 404 PGRST202 with the nearest name as hint', async () => {
    expectError(await anon.rpc('greeet', { name: 'Ann' }), 404, {
        code: 'PGRST202',
        message: 'Could not find the function api.greeet(name) in the schema cache',
        details: 'Searched for the function api.greeet with parameter name or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
        hint: 'Perhaps you meant to call the function api.greet',
    });
    expectError(await anon.rpc('greeet', {}, { get: true }), 404, {
        code: 'PGRST202',
        message: 'Could not find the function api.greeet without parameters in the schema cache',
        details: 'Searched for the function api.greeet without parameters, but no matches were found in the schema cache.',
        hint: 'Perhaps you meant to call the function api.greet',
    });
});

test('a filter with an unknown operator is 400 PGRST100', async () => {
    // PostgREST's details copy its parser's (Parsec) expectations; the contract (§1.2) says a conformance
    // check compares code, status and message, and the gateway lists every operator in the details instead.
    const result = await anon.from('items').select('id').filter('id', 'xyz', 1);
    assert.equal(result.status, 400);
    assert.equal(result.data, null);
    assert.equal(result.error?.code, 'PGRST100');
    assert.equal(result.error?.message, '"failed to parse filter (xyz.1)" (line 1, column 1)');
    assert.match(result.error?.details ?? '', /^unexpected "x\w*" expecting "not" or operator \(eq, /);
});

test('an unknown column is 400 42703', async () => {
    expectError(await anon.from('items').select('id, nope'), 400, {
        code: '42703',
        message: 'column items.nope does not exist',
        details: null,
        hint: null,
    });
});

test('anon reading a view granted only to authenticated is 401 42501', async () => {
    expectError(await anon.from('todos').select('todo_id'), 401, {
        code: '42501',
        message: 'permission denied for view todos',
        details: null,
        hint: null,
    });
});

test('authenticated calling a function granted only to anon is 403 42501, by POST and by GET', async () => {
    const refused = {
        code: '42501',
        message: 'permission denied for function anon_only',
        details: null,
        hint: null,
    };
    expectError(await user.rpc('anon_only'), 403, refused);
    expectError(await user.rpc('anon_only', {}, { get: true }), 403, refused);
});

test('authenticated writing to a view it may only read is 403 42501', async () => {
    expectError(await user.from('items').insert({ id: 100, name: 'fig' }), 403, {
        code: '42501',
        message: 'permission denied for view items',
        details: null,
        hint: null,
    });
});

test('a duplicate of a unique value is 409 23505', async () => {
    const name = unique('dup');
    expectData(await anon.from('tags').insert({ name }), 201, null);
    expectError(await anon.from('tags').insert({ name, note: 'again' }), 409, {
        code: '23505',
        message: 'duplicate key value violates unique constraint "fixture_tag_name_key"',
        // PostgreSQL names the key only to roles that may read the table itself; anon reaches it only through the view.
        details: null,
        hint: null,
    });
});

test('an exception raised by a function is 400 with its code, message, details and hint', async () => {
    const raised = {
        code: 'P0001',
        message: 'Plain failure',
        details: 'some detail',
        hint: 'some hint',
    };
    expectError(await anon.rpc('fail', { kind: 'p0001' }), 400, raised);
    expectError(await user.rpc('fail', { kind: 'p0001' }, { get: true }), 400, raised);
});

test('SQLSTATE PTnnn sets the status', async () => {
    expectError(await anon.rpc('fail', { kind: 'pt402' }), 402, {
        code: 'PT402',
        message: 'Payment Required',
        details: null,
        hint: null,
    });
});

test('SQLSTATE PGRST sets the whole error and the status', async () => {
    expectError(await anon.rpc('fail', { kind: 'pgrst' }), 332, {
        code: '123',
        message: 'ABC',
        details: 'DEF',
        hint: 'XYZ',
    });
});
