// .geojson() as postgrest-js sends it (Accept: application/geo+json), on the PostGIS fixture view api.geo_places
// (Api/postgis-fixture.sql). Named outside node's default test pattern: PostgrestJsTests runs it by name, and only
// where the server has PostGIS. Read-only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anon } from './support.js';

test('geojson() answers a FeatureCollection of the selected rows', async () => {
    const { data, error, status } = await anon.from('geo_places').select('id, name, geom').lt('id', 3).order('id').geojson();

    assert.equal(error, null, JSON.stringify(error));
    assert.equal(status, 200);
    assert.equal(data.type, 'FeatureCollection');
    assert.deepEqual(data.features.map((feature) => feature.properties.name), ['Lima', 'Lisbon']);
    assert.deepEqual(data.features[1].geometry, { type: 'Point', coordinates: [-9.14, 38.72] });
});
