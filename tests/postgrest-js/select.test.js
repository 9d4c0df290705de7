// select(): columns, aliases, casts and JSON paths, read from the fixture view api.items.
import { test } from 'node:test';
import { anon, expectData } from './support.js';

test('select with columns returns only those columns', async () => {
    expectData(await anon.from('items').select('id, name').order('id'), 200, [
        { id: 1, name: 'apple' },
        { id: 2, name: 'banana' },
        { id: 3, name: 'cherry' },
        { id: 4, name: 'Date, "dried"' },
        { id: 5, name: 'elderberry' },
    ]);
});

test('select returns each type as PostgreSQL renders it in JSON', async () => {
    expectData(
        await anon.from('items').select('id, big, price, name, active, day, data, doc, tags, nums, span, search').eq('id', 1),
        200,
        [{
            id: 1,
            big: 10000000000,
            price: 9.99,
            name: 'apple',
            active: true,
            day: '2024-01-01',
            data: { color: 'red', size: { w: 1, h: 2 }, list: [1, 2, 3] },
            doc: { k: 'v1' },
            tags: ['fruit', 'red'],
            nums: [1, 2],
            span: '[1,5)',
            search: "'brown':3 'fox':4 'quick':2",
        }],
    );
});

test('select with aliases renames the keys', async () => {
    expectData(await anon.from('items').select('item_id:id, label:name').eq('id', 1), 200, [
        { item_id: 1, label: 'apple' },
    ]);
});

test('select with casts converts the values and keeps the column names', async () => {
    expectData(await anon.from('items').select('id, price::text, big::text, day::text, active::int').eq('id', 2), 200, [
        { id: 2, price: '19.50', big: '20000000000', day: '2024-02-01', active: 0 },
    ]);
});

test('select with JSON paths names each value after its last key unless aliased', async () => {
    expectData(
        await anon.from('items')
            .select('id, color:data->>color, data->size->w, h:data->size->>h, first:data->list->0, last:data->list->-1, doc->>k, width:data->size->>w::int')
            .in('id', [1, 3])
            .order('id'),
        200,
        [
            { id: 1, color: 'red', w: 1, h: '2', first: 1, last: 3, k: 'v1', width: 1 },
            { id: 3, color: 'red', w: null, h: null, first: null, last: null, k: null, width: null },
        ],
    );
});

test('select with an alias and a cast on the same column returns both', async () => {
    expectData(await anon.from('items').select('id, cents:price::text, price').eq('id', 3), 200, [
        { id: 3, cents: '0.50', price: 0.5 },
    ]);
});
