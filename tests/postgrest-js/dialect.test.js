// The rest of PostgREST's dialect as postgrest-js speaks it: .explain() (the socket gateway runs with
// Gateway:PlanEnabled=true), an upsert of only the key, and missing=default filling an identity column, on the
// fixture views api.projects (Api/embedding-fixture.sql) and api.tags (Api/fixture.sql, tag_id an identity column).
// Every written name is unique to the test, so files running in parallel never collide.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anon, expectData, unique } from './support.js';

test('explain() in json gives the plan of the query as the client built it', async () => {
    const { data, error, status } = await anon.from('projects').select('id, name').eq('id', 1).explain({ format: 'json' });

    assert.equal(error, null);
    assert.equal(status, 200);
    assert.ok(data[0].Plan['Total Cost'] > 0, JSON.stringify(data));
});

test('explain() in text with analyze gives the text plan with actual times', async () => {
    const { data, error, status } = await anon.from('projects').select('id').explain({ analyze: true });

    assert.equal(error, null);
    assert.equal(status, 200);
    assert.equal(typeof data, 'string');
    assert.match(data, /actual time=/);
});

test('an upsert of only the conflict column returns the existing row', async () => {
    const name = unique('key-only');
    expectData(await anon.from('tags').insert({ name, note: 'kept' }).select('name, note'), 201, [{ name, note: 'kept' }]);

    expectData(await anon.from('tags').upsert({ name }, { onConflict: 'name' }).select('name, note'), 200, [{ name, note: 'kept' }]);
});

test('insert with defaultToNull false gives an absent identity its next value', async () => {
    const given = unique('given');
    const generated = unique('generated');
    const { data, error, status } = await anon
        .from('tags')
        .insert([{ tag_id: 900000 + Math.floor(Math.random() * 90000), name: given }, { name: generated }], { defaultToNull: false })
        .select('tag_id, name');

    assert.equal(error, null, JSON.stringify(error));
    assert.equal(status, 201);
    assert.deepEqual(data.map((row) => row.name).sort(), [generated, given].sort());
    assert.ok(data.every((row) => Number.isInteger(row.tag_id)), JSON.stringify(data));
});

test('a computed field is selected, filtered and ordered by name', async () => {
    const name = unique('computed');
    expectData(await anon.from('tags').insert({ name, note: 'n' }).select('name'), 201, [{ name }]);

    expectData(await anon.from('tags').select('name, label').eq('label', `${name} (n)`).order('label'), 200, [{ name, label: `${name} (n)` }]);
});
