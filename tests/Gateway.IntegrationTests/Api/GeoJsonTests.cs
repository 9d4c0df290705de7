using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// <c>Accept: application/geo+json</c> (PostgREST's PostGISSpec, postgrest-js <c>.geojson()</c>): rows with a PostGIS
/// geometry or geography column come back as one FeatureCollection built in SQL by PostGIS's <c>st_asgeojson</c>,
/// found in whatever schema PostGIS is installed in; rows without one, or a database without PostGIS, make the type
/// unacceptable (406). Over <c>Api/postgis-fixture.sql</c>; skipped, saying why, where the server lacks PostGIS.
/// </summary>
public sealed class GeoJsonTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string GeoJson = "application/geo+json";

    private bool postgis;

    // xUnit makes an instance per test (run one after another): the first applies the fixture.
    public async Task InitializeAsync()
    {
        await using (var admin = await api.OpenAdminAsync())
        {
            postgis = await Dapper.SqlMapper.ExecuteScalarAsync<bool>(admin, "select to_regclass('api.geo_places') is not null")
                || await ApiFixture.TryApplyPostgisFixtureAsync(admin);
        }

        if (postgis)
        {
            await api.ReloadCatalogAsync("/geo_places");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_view_with_a_geometry_answers_a_feature_collection()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/geo_places?select=id,name,geom&id=lt.3&order=id", ("Accept", GeoJson));

        using var body = JsonDocument.Parse(await AssertBodyAsync(response, 200, "application/geo+json; charset=utf-8"));
        Assert.Equal("FeatureCollection", body.RootElement.GetProperty("type").GetString());
        var features = body.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(2, features.Count);
        Assert.Equal("Feature", features[0].GetProperty("type").GetString());
        Assert.Equal("Point", features[0].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("[-77.03,-12.05]", features[0].GetProperty("geometry").GetProperty("coordinates").GetRawText());
        Assert.Equal("""{"id": 1, "name": "Lima"}""", features[0].GetProperty("properties").GetRawText());
        Assert.Equal("Lisbon", features[1].GetProperty("properties").GetProperty("name").GetString());
    }

    [SkippableFact]
    public async Task A_table_exposed_directly_with_a_geography_answers_a_feature_collection()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/spots", ("Accept", GeoJson));

        using var body = JsonDocument.Parse(await AssertBodyAsync(response, 200, "application/geo+json; charset=utf-8"));
        var feature = Assert.Single(body.RootElement.GetProperty("features").EnumerateArray());
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("""{"id": 1, "label": "square"}""", feature.GetProperty("properties").GetRawText());
    }

    [SkippableFact]
    public async Task No_rows_are_an_empty_feature_collection()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/geo_places?id=eq.0", ("Accept", GeoJson));

        Assert.Equal("""{"type" : "FeatureCollection", "features" : []}""", await AssertBodyAsync(response, 200, "application/geo+json; charset=utf-8"));
    }

    [SkippableFact]
    public async Task A_function_returning_rows_with_a_geometry_answers_a_feature_collection()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/rpc/geo_places_named?prefix=Li", ("Accept", GeoJson));

        using var body = JsonDocument.Parse(await AssertBodyAsync(response, 200, "application/geo+json; charset=utf-8"));
        Assert.Equal(["Lima", "Lisbon"], body.RootElement.GetProperty("features").EnumerateArray()
            .Select(feature => feature.GetProperty("properties").GetProperty("name").GetString()));
    }

    [SkippableFact]
    public async Task A_view_without_a_spatial_column_cannot_answer_geojson()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/projects", ("Accept", GeoJson));

        Assert.Equal(406, (int)response.StatusCode);
        Assert.Contains("PGRST107", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_select_without_the_geometry_is_a_client_error_not_a_server_one()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/geo_places?select=id,name", ("Accept", GeoJson));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("22023", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Geojson_is_passed_over_for_the_next_acceptable_type_where_it_cannot_be_produced()
    {
        Skip.IfNot(postgis, ApiFixture.PostgisMissing);

        using var response = await api.Anon().ReadAsync("/projects?id=eq.1&select=id", ("Accept", "application/geo+json, application/json;q=0.5"));

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200));
    }
}
