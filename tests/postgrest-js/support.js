// What every file of the compatibility suite shares: clients built the way a frontend builds them (anon, and
// two signed-in users whose tokens PostgrestJsTests passes in), and assertions that say which request failed.
import assert from 'node:assert/strict';
import { PostgrestClient } from '@supabase/postgrest-js';

function setting(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set: this suite is run by PostgrestJsTests (scripts/test.sh)`);
    }
    return value;
}

export const gatewayUrl = setting('GATEWAY_URL');
const accessToken = setting('ACCESS_TOKEN');
const otherAccessToken = setting('OTHER_ACCESS_TOKEN');

let lastRequest = '(none)';

// The global fetch, unchanged; it only remembers what was sent so that a failed assertion can show it.
function recordingFetch(input, init = {}) {
    const headers = new Headers(init.headers);
    const shown = ['accept', 'prefer'].filter((name) => headers.has(name)).map((name) => `${name}: ${headers.get(name)}`);
    const body = init.body === undefined ? [] : [`body: ${init.body}`];
    lastRequest = [`${init.method ?? 'GET'} ${input}`, ...shown, ...body].join('\n    ');
    return fetch(input, init);
}

function client(token) {
    const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    return new PostgrestClient(gatewayUrl, { headers, fetch: recordingFetch });
}

export const anon = client();
export const user = client(accessToken);
export const otherUser = client(otherAccessToken);

/** The claims of the signed-in user's token (its sub is the account id). */
export const userClaims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));

/** A value no other test or run uses, for rows that must not collide (files run in parallel). */
export function unique(prefix) {
    return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

function context(result) {
    const { status, error, data, count } = result;
    return `\n  request: ${lastRequest}\n  response: ${JSON.stringify({ status, error, data, count })}`;
}

/** A successful response: the status, the data and, when given, the count postgrest-js read from Content-Range. */
export function expectData(result, status, data, expected = {}) {
    const where = context(result);
    assert.equal(result.error, null, `unexpected error${where}`);
    assert.equal(result.status, status, `status${where}`);
    assert.deepEqual(result.data, data, `data${where}`);
    if ('count' in expected) {
        assert.equal(result.count, expected.count, `count${where}`);
    }
}

/** A failed response: the status, no data, and the error's code, message, details and hint exactly. */
export function expectError(result, status, expected) {
    const where = context(result);
    assert.equal(result.status, status, `status${where}`);
    assert.equal(result.data, null, `data${where}`);
    const { code, message, details, hint } = result.error ?? {};
    assert.deepEqual({ code, message, details, hint }, expected, `error${where}`);
}
