using System.Net;
using System.Net.Http.Headers;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace LabelBench.Web.Tests.Api;

/// <summary><c>GET /api/v1/projects/{id}/items/{itemId}/media</c>: members get the file with safe headers; others get 404, strangers 401.</summary>
public sealed class MediaEndpointTests : IClassFixture<MediaEndpointTests.MediaApp>
{
    private readonly MediaApp app;

    public MediaEndpointTests(MediaApp app) => this.app = app;

    [Fact]
    public async Task Member_gets_the_image_with_nosniff_and_private_caching()
    {
        using var response = await app.GetAsync(app.MemberToken, app.MediaUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal(app.Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Range_requests_get_partial_content()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, app.MediaUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.MemberToken);
        request.Headers.Range = new RangeHeaderValue(0, 7);
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(app.Png[..8], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Thumbnail_variant_is_served_and_an_unknown_variant_is_a_bad_request()
    {
        using var thumbnail = await app.GetAsync(app.MemberToken, app.MediaUrl + "?variant=thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.StartsWith("image/", thumbnail.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        using var bad = await app.GetAsync(app.MemberToken, app.MediaUrl + "?variant=../../etc/passwd");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Non_member_gets_404()
    {
        using var response = await app.GetAsync(app.OutsiderToken, app.MediaUrl);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Item_of_another_project_is_404_even_for_a_member()
    {
        using var response = await app.GetAsync(app.MemberToken, $"/api/v1/projects/{app.ProjectId}/items/{app.ItemId + 1000}/media");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_request_gets_401()
    {
        using var response = await app.Client.GetAsync(app.MediaUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Peaks_a_browser_computed_are_checked_stored_once_and_then_served()
    {
        var peaksUrl = $"/api/v1/projects/{app.AudioProjectId}/items/{app.FlacItemId}/media/peaks";
        using var wrong = await app.PutAsync(app.MemberToken, peaksUrl, PeaksBody(9.0, 900));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("duration", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var outsider = await app.PutAsync(app.OutsiderToken, peaksUrl, PeaksBody(3.0, 300));
        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
        using var image = await app.PutAsync(app.MemberToken, app.MediaUrl + "/peaks", PeaksBody(3.0, 300));
        Assert.Equal(HttpStatusCode.BadRequest, image.StatusCode);

        using var stored = await app.PutAsync(app.MemberToken, peaksUrl, PeaksBody(3.0, 300));
        Assert.Equal(HttpStatusCode.NoContent, stored.StatusCode);
        using var again = await app.PutAsync(app.MemberToken, peaksUrl, PeaksBody(3.0, 300));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var served = await app.GetAsync(app.MemberToken, $"/api/v1/projects/{app.AudioProjectId}/items/{app.FlacItemId}/media?variant=peaks");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
        Assert.Equal(3.0, json["duration"]!.GetValue<double>());
        Assert.Equal(600, json["peaks"]![0]!.AsArray().Count);
    }

    private static string PeaksBody(double duration, int buckets) =>
        $$"""{"duration": {{duration.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "peaksPerSecond": 100, "peaks": [{{string.Join(",", Enumerable.Repeat("-0.25,0.5", buckets))}}]}""";

    /// <summary>The app on a temporary data folder with one image project, a member and an outsider, each with a token.</summary>
    public sealed class MediaApp : WebApplicationFactory<Program>, IAsyncLifetime
    {
        private readonly string dataDir = Path.Combine(Path.GetTempPath(), $"lb-media-web-{Guid.NewGuid():N}");

        public HttpClient Client { get; private set; } = null!;
        public string MemberToken { get; private set; } = string.Empty;
        public string OutsiderToken { get; private set; } = string.Empty;
        public long ProjectId { get; private set; }
        public long ItemId { get; private set; }
        public long AudioProjectId { get; private set; }
        public long FlacItemId { get; private set; }
        public byte[] Png { get; } = MakePng();

        public string MediaUrl => $"/api/v1/projects/{ProjectId}/items/{ItemId}/media";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("LabelBench:DataDir", dataDir);
            builder.UseSetting("LabelBench:AdminPassword", "Admin-Password-1");
            builder.UseSetting("LabelBench:SeedDemo", "false");
        }

        public async Task InitializeAsync()
        {
            Client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserService>();
            var member = await users.CreateAsync(Caller.System, "member@example.com", "Member-Password-1", admin: false);
            var outsider = await users.CreateAsync(Caller.System, "outsider@example.com", "Outsider-Password-1", admin: false);
            var projects = Services.GetRequiredService<ProjectService>();
            ProjectId = await projects.CreateAsync(Caller.System, new ProjectDraft(
                "Media", """{"fields": [{"name": "objects", "kind": "boxes", "source": "image", "labels": [{"value": "car"}]}]}""", 1, null, null, "sequential"));
            await projects.AddMemberByIdAsync(Caller.System, ProjectId, member, ProjectRole.Annotator);
            var report = await Services.GetRequiredService<ImportService>().ImportAsync(
                Caller.System, ProjectId, [new ImportFile("photo.png", Png.Length, () => new MemoryStream(Png))]);
            Assert.Equal(1, report.Imported);
            ItemId = (await Services.GetRequiredService<ItemService>().PageAsync(Caller.System, ProjectId, 1, 10)).Items.Single().Id;
            AudioProjectId = await projects.CreateAsync(Caller.System, new ProjectDraft(
                "Audio", """{"fields": [{"name": "regions", "kind": "segments", "source": "audio", "labels": [{"value": "speech"}]}]}""", 1, null, null, "sequential"));
            await projects.AddMemberByIdAsync(Caller.System, AudioProjectId, member, ProjectRole.Annotator);
            var flac = Core.Tests.Media.MediaBytes.Flac(16000, 1, 16, 16000 * 3);
            var audio = await Services.GetRequiredService<ImportService>().ImportAsync(
                Caller.System, AudioProjectId, [new ImportFile("clip.flac", flac.Length, () => new MemoryStream(flac))]);
            Assert.Equal(1, audio.Imported);
            FlacItemId = (await Services.GetRequiredService<ItemService>().PageAsync(Caller.System, AudioProjectId, 1, 10)).Items.Single().Id;
            var tokens = Services.GetRequiredService<TokenService>();
            MemberToken = await tokens.CreateAsync(member, "test");
            OutsiderToken = await tokens.CreateAsync(outsider, "test");
        }

        public async Task<HttpResponseMessage> GetAsync(string token, string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await Client.SendAsync(request);
        }

        public async Task<HttpResponseMessage> PutAsync(string token, string url, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await Client.SendAsync(request);
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            Client.Dispose();
            await DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }

        private static byte[] MakePng()
        {
            using var bitmap = new SKBitmap(new SKImageInfo(32, 24, SKColorType.Rgba8888, SKAlphaType.Opaque));
            bitmap.Erase(new SKColor(200, 40, 40));
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            return data.ToArray();
        }
    }
}
