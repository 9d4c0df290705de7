// Every filter method of postgrest-js, on the fixture view api.items. Each test checks the ids it gets back.
import { test } from 'node:test';
import { anon, expectData } from './support.js';

const items = () => anon.from('items').select('id');

async function expectIds(query, ids) {
    expectData(await query.order('id'), 200, ids.map((id) => ({ id })));
}

test('eq', async () => {
    await expectIds(items().eq('name', 'apple'), [1]);
    await expectIds(items().eq('id', 4), [4]);
});

test('neq leaves out nulls, as SQL does', async () => {
    await expectIds(items().neq('active', true), [2, 5]);
});

test('gt, gte, lt and lte on a numeric column', async () => {
    await expectIds(items().gt('price', 5), [1, 2]);
    await expectIds(items().gte('price', 5), [1, 2, 5]);
    await expectIds(items().lt('price', 5), [3]);
    await expectIds(items().lte('price', 5), [3, 5]);
});

test('gt and lt on a date column', async () => {
    await expectIds(items().gt('day', '2024-01-15').lt('day', '2024-04-01'), [2, 3]);
});

test('like is case-sensitive, with * as the wildcard', async () => {
    await expectIds(items().like('name', '*rr*'), [3, 5]);
    await expectIds(items().like('name', '*RR*'), []);
});

test('ilike is case-insensitive', async () => {
    await expectIds(items().ilike('name', '*RR*'), [3, 5]);
    await expectIds(items().ilike('name', 'date*'), [4]);
});

test('is null, true and false', async () => {
    await expectIds(items().is('active', null), [4]);
    await expectIds(items().is('active', true), [1, 3]);
    await expectIds(items().is('active', false), [2, 5]);
});

test('in with numbers and with strings', async () => {
    await expectIds(items().in('id', [5, 1, 3, 1]), [1, 3, 5]);
    await expectIds(items().in('name', ['banana', 'cherry', 'fig']), [2, 3]);
});

test('contains on an array, a jsonb object and a range', async () => {
    await expectIds(items().contains('tags', ['red']), [1, 3]);
    await expectIds(items().contains('data', { color: 'red' }), [1, 3]);
    await expectIds(items().contains('span', '[2,3]'), [1]);
});

test('containedBy on arrays', async () => {
    await expectIds(items().containedBy('tags', ['fruit', 'red', 'small']), [1, 3, 4]);
    await expectIds(items().containedBy('nums', [1, 2, 3]), [1, 2, 3]);
});

test('overlaps on an array and on a range', async () => {
    await expectIds(items().overlaps('tags', ['yellow', 'berry']), [2, 5]);
    await expectIds(items().overlaps('span', '[3,6)'), [1, 2]);
});

test('textSearch with each query type, with and without a configuration', async () => {
    await expectIds(items().textSearch('search', 'quick'), [1, 3]);
    await expectIds(items().textSearch('search', 'quick', { config: 'english' }), [1, 3]);
    await expectIds(items().textSearch('search', 'lazy dogs', { type: 'plain', config: 'english' }), [2]);
    await expectIds(items().textSearch('search', 'quick brown', { type: 'phrase', config: 'english' }), [1]);
    await expectIds(items().textSearch('search', 'quick -fox', { type: 'websearch', config: 'english' }), [3]);
});

test('match is one eq per key', async () => {
    await expectIds(items().match({ active: true, name: 'cherry' }), [3]);
});

test('not negates any operator', async () => {
    await expectIds(items().not('active', 'is', null), [1, 2, 3, 5]);
    await expectIds(items().not('id', 'in', '(1,2)'), [3, 4, 5]);
    await expectIds(items().not('tags', 'cs', '{red}'), [2, 4, 5]);
    await expectIds(items().not('name', 'like', '*e*'), [2]);
});

test('or, with a nested and and with a negation', async () => {
    await expectIds(items().or('id.eq.1,name.eq.banana'), [1, 2]);
    await expectIds(items().or('price.gt.10,and(active.is.true,price.lt.1)'), [2, 3]);
    await expectIds(items().or('id.lt.2,tags.cs.{berry}'), [1, 5]);
    await expectIds(items().or('id.gt.4,active.not.is.true'), [2, 4, 5]);
});

test('or combines with the other filters by and', async () => {
    await expectIds(items().or('id.eq.1,id.eq.2,id.eq.3').eq('active', true), [1, 3]);
});

test('filter takes the raw operator', async () => {
    await expectIds(items().filter('name', 'ilike', '*BERRY'), [5]);
    await expectIds(items().filter('nums', 'cs', '{2}'), [1, 3]);
    await expectIds(items().filter('id', 'in', '(2,4)'), [2, 4]);
});

test('filters on JSON paths', async () => {
    await expectIds(items().eq('data->>color', 'red'), [1, 3]);
    await expectIds(items().gt('data->size->w', 1), [2]);
    await expectIds(items().eq('doc->>k', 'v5'), [5]);
});

test('regexMatch and regexIMatch', async () => {
    await expectIds(items().regexMatch('name', '^[a-c]'), [1, 2, 3]);
    await expectIds(items().regexIMatch('name', '^D'), [4]);
});

test('several filters on one column are combined by and', async () => {
    await expectIds(items().gt('id', 1).lt('id', 4), [2, 3]);
});
