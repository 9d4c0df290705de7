// insert, update, upsert and delete through the fixture view api.tags (tag_id primary key, unique name), which
// anon and authenticated may write. Every name is unique to the test, so files running in parallel never collide.
import { test } from 'node:test';
import { anon, expectData, unique, user } from './support.js';

// The rows of a write come back in no promised order: compare them sorted by name.
const byName = (result) => ({ ...result, data: Array.isArray(result.data) ? [...result.data].sort((a, b) => a.name.localeCompare(b.name)) : result.data });

async function expectTag(name, rows) {
    expectData(await anon.from('tags').select('name, note').eq('name', name), 200, rows);
}

test('insert one row with select returns it, 201', async () => {
    const name = unique('one');
    expectData(await anon.from('tags').insert({ name, note: 'first' }).select('name, note'), 201, [{ name, note: 'first' }]);
    await expectTag(name, [{ name, note: 'first' }]);
});

test('insert one row without select returns no data, 201', async () => {
    const name = unique('minimal');
    expectData(await user.from('tags').insert({ name }), 201, null);
    await expectTag(name, [{ name, note: null }]);
});

test('insert with select and single returns the row as an object, 201', async () => {
    const name = unique('single');
    expectData(await anon.from('tags').insert({ name, note: 'one' }).select('name, note').single(), 201, { name, note: 'one' });
});

test('insert returns the generated key', async () => {
    const name = unique('key');
    const created = await anon.from('tags').insert({ name }).select('tag_id');
    expectData(created, 201, [{ tag_id: created.data?.[0]?.tag_id }]);
    expectData(await anon.from('tags').select('name').eq('tag_id', created.data[0].tag_id), 200, [{ name }]);
});

test('bulk insert with select returns every row; a key missing from one object is null', async () => {
    const [a, b] = [unique('bulk-a'), unique('bulk-b')];
    expectData(
        byName(await anon.from('tags').insert([{ name: a, note: 'x' }, { name: b }]).select('name, note')),
        201,
        [{ name: a, note: 'x' }, { name: b, note: null }],
    );
});

test('bulk insert with count exact reports the rows inserted', async () => {
    const [a, b] = [unique('count-a'), unique('count-b')];
    expectData(await anon.from('tags').insert([{ name: a }, { name: b }], { count: 'exact' }), 201, null, { count: 2 });
    await expectTag(a, [{ name: a, note: null }]);
});

test('update with select returns the changed rows, 200', async () => {
    const name = unique('update');
    expectData(await anon.from('tags').insert({ name, note: 'before' }), 201, null);
    expectData(await anon.from('tags').update({ note: 'after' }).eq('name', name).select('name, note'), 200, [{ name, note: 'after' }]);
    await expectTag(name, [{ name, note: 'after' }]);
});

test('update with select and single returns the changed row as an object', async () => {
    const name = unique('update-single');
    expectData(await anon.from('tags').insert({ name, note: 'before' }), 201, null);
    expectData(await anon.from('tags').update({ note: 'after' }).eq('name', name).select('name, note').single(), 200, { name, note: 'after' });
});

test('update without select returns no data, 204', async () => {
    const name = unique('update-minimal');
    expectData(await anon.from('tags').insert({ name, note: 'before' }), 201, null);
    expectData(await user.from('tags').update({ note: 'after' }).eq('name', name), 204, null);
    await expectTag(name, [{ name, note: 'after' }]);
});

test('update that matches nothing returns an empty array with select', async () => {
    expectData(await anon.from('tags').update({ note: 'none' }).eq('name', unique('absent')).select('name'), 200, []);
});

test('upsert on the primary key updates the existing row, 200', async () => {
    const name = unique('upsert-pk');
    const created = await anon.from('tags').insert({ name, note: 'before' }).select('tag_id');
    expectData(created, 201, [{ tag_id: created.data?.[0]?.tag_id }]);
    const tagId = created.data[0].tag_id;
    expectData(
        await anon.from('tags').upsert({ tag_id: tagId, name, note: 'merged' }).select('tag_id, name, note'),
        200,
        [{ tag_id: tagId, name, note: 'merged' }],
    );
});

test('upsert with onConflict merges on that unique column: 200 when it only updated', async () => {
    const name = unique('upsert-name');
    expectData(await anon.from('tags').insert({ name, note: 'before' }), 201, null);
    expectData(await anon.from('tags').upsert({ name, note: 'merged' }, { onConflict: 'name' }).select('name, note'), 200, [
        { name, note: 'merged' },
    ]);
    await expectTag(name, [{ name, note: 'merged' }]);
});

test('upsert with onConflict of an existing and a new row: 201, both rows', async () => {
    const [existing, fresh] = [unique('upsert-a'), unique('upsert-b')];
    expectData(await anon.from('tags').insert({ name: existing, note: 'before' }), 201, null);
    expectData(
        byName(await anon.from('tags').upsert([{ name: existing, note: 'merged' }, { name: fresh, note: 'new' }], { onConflict: 'name' }).select('name, note')),
        201,
        [{ name: existing, note: 'merged' }, { name: fresh, note: 'new' }],
    );
});

test('upsert with ignoreDuplicates inserts only the new rows and leaves the others alone', async () => {
    const [existing, fresh] = [unique('ignore-a'), unique('ignore-b')];
    expectData(await anon.from('tags').insert({ name: existing, note: 'kept' }), 201, null);
    expectData(
        await anon.from('tags')
            .upsert([{ name: existing, note: 'ignored' }, { name: fresh, note: 'new' }], { onConflict: 'name', ignoreDuplicates: true })
            .select('name, note'),
        201,
        [{ name: fresh, note: 'new' }],
    );
    await expectTag(existing, [{ name: existing, note: 'kept' }]);
});

test('delete with select returns the deleted rows, 200', async () => {
    const name = unique('delete');
    expectData(await anon.from('tags').insert({ name, note: 'gone' }), 201, null);
    expectData(await anon.from('tags').delete().eq('name', name).select('name, note'), 200, [{ name, note: 'gone' }]);
    await expectTag(name, []);
});

test('delete without select returns no data, 204, and count exact reports the rows deleted', async () => {
    const prefix = unique('delete-many');
    expectData(await anon.from('tags').insert([{ name: `${prefix}-1` }, { name: `${prefix}-2` }]), 201, null);
    expectData(await user.from('tags').delete({ count: 'exact' }).like('name', `${prefix}-*`), 204, null, { count: 2 });
    expectData(await anon.from('tags').select('name').like('name', `${prefix}-*`), 200, []);
});
