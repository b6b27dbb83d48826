using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Data;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LabelBench.E2E;

/// <summary>
/// The image and audio editors in Chromium: shapes and regions drawn with the mouse (or marked with keys) are stored in
/// original-image pixels and in seconds, whatever the zoom. Expected values come from the page's geometry (where the
/// image or waveform is on screen), never from the editors' own arithmetic.
/// </summary>
public sealed class MediaEditorTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app)
{
    private const string Images = "Demo: object boxes";
    private const string Audio = "Demo: audio segments";
    private const float Timeout = 20_000;

    [SkippableFact]
    public Task A_box_a_polygon_and_a_keypoint_are_saved_in_image_pixels_at_two_zoom_levels() => InBrowserAsync(async page =>
    {
        var project = await ProjectIdAsync(Images);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/projects/{project}/annotate");

        foreach (var zoomed in new[] { false, true })
        {
            var editor = page.GetByTestId("image-editor");
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=image-editor]')?.dataset.shapes !== undefined && document.querySelector('[data-testid=image-stage] img')?.complete", null, new() { Timeout = Timeout });
            await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
            var itemId = await ItemIdAsync(page);
            var img = page.Locator("[data-testid=image-stage] img");
            var width = double.Parse((await img.GetAttributeAsync("width"))!, CultureInfo.InvariantCulture);
            var height = double.Parse((await img.GetAttributeAsync("height"))!, CultureInfo.InvariantCulture);
            var fitted = double.Parse((await editor.GetAttributeAsync("data-zoom"))!, CultureInfo.InvariantCulture);
            // The whole image area on screen, clear of the app bar.
            await page.GetByTestId("image-stage").EvaluateAsync("el => el.scrollIntoView({ block: 'center' })");
            var stage = (await page.GetByTestId("image-stage").BoundingBoxAsync())!;

            if (zoomed)
            {
                // Three wheel steps over the sky (no predicted objects there) zoom around that point.
                var anchor = await ScreenAsync(img, width, height, 0.55, 0.12);
                await page.Mouse.MoveAsync(anchor.X, anchor.Y);
                for (var i = 0; i < 3; i++)
                {
                    await page.Mouse.WheelAsync(0, -100);
                }

                await page.WaitForFunctionAsync("z => Number(document.querySelector('[data-testid=image-editor]').dataset.zoom) > z * 1.9", fitted, new() { Timeout = Timeout });
            }

            var zoom = double.Parse((await editor.GetAttributeAsync("data-zoom"))!, CultureInfo.InvariantCulture);
            // One screen pixel in image pixels, plus rounding: the tolerance shrinks as the zoom grows.
            var tolerance = (1.5 / zoom) + 0.1;
            var chips = await page.GetByTestId("shape-chip").CountAsync();

            // A box, dragged with the mouse, labelled by its button.
            await page.GetByTestId("label-option-car").ClickAsync();
            var a = await ScreenAsync(img, width, height, 0.30, 0.07);
            var b = await ScreenAsync(img, width, height, 0.45, 0.16);
            Assert.True(Inside(stage, a) && Inside(stage, b), $"the box's corners are off the image area at zoom {zoom}");
            await page.Mouse.MoveAsync(a.X, a.Y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync((a.X + b.X) / 2, (a.Y + b.Y) / 2, new() { Steps = 4 });
            await page.Mouse.MoveAsync(b.X, b.Y, new() { Steps = 4 });
            await page.Mouse.UpAsync();
            await Expect(page.GetByTestId("shape-chip")).ToHaveCountAsync(chips + 1);

            if (!zoomed)
            {
                // Undo takes the box away, redo brings it back.
                await page.Keyboard.PressAsync("Control+z");
                await Expect(page.GetByTestId("shape-chip")).ToHaveCountAsync(chips);
                await page.Keyboard.PressAsync("Control+Shift+z");
                await Expect(page.GetByTestId("shape-chip")).ToHaveCountAsync(chips + 1);
            }

            // A polygon, clicked point by point and closed on its first point, labelled by its hotkey (l: cloud).
            await page.Keyboard.PressAsync("l");
            await Expect(page.GetByTestId("label-option-cloud")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
            var polygon = new[] { (0.55, 0.07), (0.70, 0.08), (0.62, 0.17) };
            var points = new List<(float X, float Y)>();
            foreach (var (fx, fy) in polygon)
            {
                points.Add(await ScreenAsync(img, width, height, fx, fy));
            }

            Assert.True(points.All(p => Inside(stage, p)), $"a polygon point is off the image area at zoom {zoom}");
            foreach (var p in points.Append(points[0]))
            {
                await page.Mouse.ClickAsync(p.X, p.Y);
            }

            await Expect(page.Locator("[data-testid=shape-chip][data-field=areas]")).ToHaveCountAsync(1);

            // A keypoint (u: sun), one click.
            await page.Keyboard.PressAsync("u");
            var k = await ScreenAsync(img, width, height, 0.80, 0.10);
            await page.Mouse.ClickAsync(k.X, k.Y);
            await Expect(page.Locator("[data-testid=shape-chip][data-field=landmarks]")).ToHaveCountAsync(1);

            await page.Keyboard.PressAsync("Enter");
            await WaitForNextItemAsync(page, itemId);
            var stored = await SubmittedAsync(project, itemId);

            // The places aimed at, in image pixels (the screen points were taken from the image's place just before each action).
            (double X, double Y) ia = (0.30 * width, 0.07 * height);
            (double X, double Y) ib = (0.45 * width, 0.16 * height);
            var boxes = stored["objects"]!.AsArray().Select(o => o!.AsObject()).Where(o => o["label"]!.GetValue<string>() == "car").ToList();
            Assert.True(
                boxes.Any(o => Near(o["x"], ia.X, tolerance) && Near(o["y"], ia.Y, tolerance) && Near(o["width"], ib.X - ia.X, 2 * tolerance) && Near(o["height"], ib.Y - ia.Y, 2 * tolerance)),
                $"no car box at ({ia.X:0.0}, {ia.Y:0.0}) {ib.X - ia.X:0.0}×{ib.Y - ia.Y:0.0} ±{tolerance:0.00} (zoom {zoom}) in {stored["objects"]!.ToJsonString()}");

            var savedPolygon = Assert.Single(stored["areas"]!.AsArray())!.AsObject();
            Assert.Equal("cloud", savedPolygon["label"]!.GetValue<string>());
            var savedPoints = savedPolygon["points"]!.AsArray();
            Assert.Equal(3, savedPoints.Count);
            for (var i = 0; i < 3; i++)
            {
                var expected = (X: polygon[i].Item1 * width, Y: polygon[i].Item2 * height);
                Assert.True(Near(savedPoints[i]![0], expected.X, tolerance) && Near(savedPoints[i]![1], expected.Y, tolerance),
                    $"point {i} at zoom {zoom}: {savedPoints[i]!.ToJsonString()} for ({expected.X:0.0}, {expected.Y:0.0})");
            }

            var keypoint = Assert.Single(stored["landmarks"]!.AsArray())!.AsObject();
            var ek = (X: 0.80 * width, Y: 0.10 * height);
            Assert.Equal("sun", keypoint["label"]!.GetValue<string>());
            Assert.True(Near(keypoint["x"], ek.X, tolerance) && Near(keypoint["y"], ek.Y, tolerance), $"{keypoint.ToJsonString()} for ({ek.X:0.0}, {ek.Y:0.0}) at zoom {zoom}");
        }
    });

    [SkippableFact]
    public Task A_region_dragged_on_the_waveform_is_saved_in_seconds_with_its_label_and_transcript_at_two_zoom_levels() => InBrowserAsync(async page =>
    {
        var project = await ProjectIdAsync(Audio);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/projects/{project}/annotate");

        foreach (var zoomed in new[] { false, true })
        {
            var editor = page.GetByTestId("audio-editor");
            await Expect(editor).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
            await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
            var itemId = await ItemIdAsync(page);
            await RemoveRegionsAsync(page);
            var fitted = double.Parse((await editor.GetAttributeAsync("data-px-per-sec"))!, CultureInfo.InvariantCulture);
            if (zoomed)
            {
                await page.GetByTestId("annotate-workspace").FocusAsync();
                await page.Keyboard.PressAsync("+");
                await page.Keyboard.PressAsync("+");
                await page.WaitForFunctionAsync("z => Number(document.querySelector('[data-testid=audio-editor]').dataset.pxPerSec) > z * 2", fitted, new() { Timeout = Timeout });
            }

            var duration = double.Parse((await editor.GetAttributeAsync("data-duration"))!, CultureInfo.InvariantCulture);
            var wave = (await page.GetByTestId("audio-waveform").BoundingBoxAsync())!;
            var y = wave.Y + (wave.Height / 2);
            var x1 = wave.X + (wave.Width * 0.2);
            var x2 = wave.X + (wave.Width * 0.45);
            // Where second 0 is on screen and how wide the whole clip is drawn, read from wavesurfer's own element.
            var geometry = await page.GetByTestId("audio-waveform").EvaluateAsync<double[]>(
                "el => { const w = el.querySelector('div').shadowRoot.querySelector('.wrapper').getBoundingClientRect(); return [w.left, w.width]; }");
            var secondsPerPixel = duration / geometry[1];
            var expectedStart = (x1 - geometry[0]) * secondsPerPixel;
            var expectedEnd = (x2 - geometry[0]) * secondsPerPixel;

            await page.Mouse.MoveAsync((float)x1, (float)y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync((float)((x1 + x2) / 2), (float)y, new() { Steps = 5 });
            await page.Mouse.MoveAsync((float)x2, (float)y, new() { Steps = 5 });
            await page.Mouse.UpAsync();
            await Expect(page.GetByTestId("region-row")).ToHaveCountAsync(1);

            // The new region is selected: the tone hotkey labels it; its transcript is typed in its row, and Ctrl+Enter
            // submits straight from the text box.
            await page.Keyboard.PressAsync("2");
            await Expect(page.GetByTestId("region-row")).ToHaveAttributeAsync("data-label", "tone");
            await page.GetByTestId("region-text").FillAsync("a short beep");
            await page.GetByTestId("region-text").PressAsync("Control+Enter");
            await WaitForNextItemAsync(page, itemId);

            var stored = await SubmittedAsync(project, itemId);
            var region = Assert.Single(stored["regions"]!.AsArray())!.AsObject();
            var tolerance = (2.5 * secondsPerPixel) + 0.002;
            Assert.Equal("tone", region["label"]!.GetValue<string>());
            Assert.Equal("a short beep", region["text"]!.GetValue<string>());
            Assert.True(Near(region["start"], expectedStart, tolerance) && Near(region["end"], expectedEnd, tolerance),
                $"{region.ToJsonString()} for {expectedStart:0.000}–{expectedEnd:0.000} s (±{tolerance:0.000}, zoomed: {zoomed})");
        }
    });

    [SkippableFact]
    public Task A_region_is_marked_labelled_undone_and_redone_with_the_keyboard_alone() => InBrowserAsync(async page =>
    {
        var project = await ProjectIdAsync(Audio);
        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/projects/{project}/annotate");
        var editor = page.GetByTestId("audio-editor");
        await Expect(editor).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
        await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
        var itemId = await ItemIdAsync(page);
        await RemoveRegionsAsync(page);
        await page.GetByTestId("annotate-workspace").FocusAsync();

        // "." seeks a second on, "[" marks the start, "]" the end: a region from 1 s to 3 s, selected; 3 labels it noise.
        await page.Keyboard.PressAsync(".");
        await page.Keyboard.PressAsync("[");
        await Expect(page.GetByTestId("audio-status")).ToContainTextAsync("Start marked at 1.00 s");
        await page.Keyboard.PressAsync(".");
        await page.Keyboard.PressAsync(".");
        await page.Keyboard.PressAsync("]");
        var row = page.GetByTestId("region-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToHaveAttributeAsync("data-label", "speech");
        await Expect(page.GetByTestId("region-chip")).ToContainTextAsync("1.00–3.00 s");
        await page.Keyboard.PressAsync("3");
        await Expect(row).ToHaveAttributeAsync("data-label", "noise");

        // Undo the label, undo the region; redo both.
        await page.Keyboard.PressAsync("Control+z");
        await Expect(row).ToHaveAttributeAsync("data-label", "speech");
        await page.Keyboard.PressAsync("Control+z");
        await Expect(row).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+Shift+z");
        await Expect(row).ToHaveAttributeAsync("data-label", "speech");
        await page.Keyboard.PressAsync("Control+y");
        await Expect(row).ToHaveAttributeAsync("data-label", "noise");

        await page.Keyboard.PressAsync("Enter");
        await WaitForNextItemAsync(page, itemId);
        var stored = await SubmittedAsync(project, itemId);
        Assert.True(JsonNode.DeepEquals(new JsonArray(new JsonObject { ["start"] = 1.0, ["end"] = 3.0, ["label"] = "noise" }), stored["regions"]), stored.ToJsonString());
    });

    [SkippableFact]
    public async Task An_hour_long_wav_opens_from_its_stored_peaks_in_seconds_and_takes_a_region_near_its_end()
    {
        App.RequireBrowser();
        var wav = Path.Combine(Path.GetTempPath(), $"labelbench-hour-{Guid.NewGuid():N}.wav");
        try
        {
            WriteHourLongWav(wav);
            long projectId;
            var clock = Stopwatch.StartNew();
            await using (var scope = App.Services.CreateAsyncScope())
            {
                var services = scope.ServiceProvider;
                var schema = await File.ReadAllTextAsync(Path.Combine(AppFixture.SamplesDir, "audio-segments", "schema.json"));
                projectId = await services.GetRequiredService<ProjectService>().CreateAsync(Caller.System, new ProjectDraft($"Hour {Guid.NewGuid():N}", schema));
                var admin = await AdminAsync();
                await services.GetRequiredService<ProjectService>().AddMemberByIdAsync(Caller.System, projectId, admin.UserId, ProjectRole.Annotator);
                var report = await services.GetRequiredService<ImportService>().ImportAsync(Caller.System, projectId, [new ImportFile("hour.wav", new FileInfo(wav).Length, () => File.OpenRead(wav))]);
                Assert.Equal(1, report.Imported);
            }

            output.WriteLine($"import of a one-hour 16 kHz mono WAV ({new FileInfo(wav).Length / 1_000_000} MB), peaks included: {clock.ElapsedMilliseconds} ms");

            await InBrowserAsync(async page =>
            {
                await page.SignInAsAdminAsync();
                var peaks = 0L;
                page.Response += (_, r) =>
                {
                    if (r.Url.Contains("variant=peaks", StringComparison.Ordinal))
                    {
                        peaks = long.TryParse(r.Headers.GetValueOrDefault("content-length"), out var n) ? n : -1;
                    }
                };
                var open = Stopwatch.StartNew();
                await page.GotoAsync($"/projects/{projectId}/annotate");
                var editor = page.GetByTestId("audio-editor");
                await Expect(editor).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
                open.Stop();
                Assert.Equal("peaks", await editor.GetAttributeAsync("data-source"));
                Assert.Equal(3600, double.Parse((await editor.GetAttributeAsync("data-duration"))!, CultureInfo.InvariantCulture), 1);
                output.WriteLine($"page load to waveform ready: {open.ElapsedMilliseconds} ms (editor: {await editor.GetAttributeAsync("data-open-ms")} ms after the peaks, {peaks / 1000} kB of peaks)");
                Assert.True(open.ElapsedMilliseconds < 15_000, $"an hour of audio took {open.ElapsedMilliseconds} ms to open");

                // The last minute is as reachable as the first: zoom in, seek near the end, mark a region by keys.
                await page.GetByTestId("annotate-workspace").FocusAsync();
                await page.Keyboard.PressAsync("+");
                await page.Keyboard.PressAsync("End");
                for (var i = 0; i < 3; i++)
                {
                    await page.Keyboard.PressAsync(",");
                }

                await page.Keyboard.PressAsync("[");
                await page.Keyboard.PressAsync(".");
                await page.Keyboard.PressAsync("]");
                await Expect(page.GetByTestId("region-chip")).ToContainTextAsync("3597.00–3598.00 s");
            });
        }
        finally
        {
            File.Delete(wav);
        }
    }

    [SkippableFact]
    public async Task An_8000x6000_image_zooms_smoothly_and_takes_a_box_in_its_own_pixels()
    {
        App.RequireBrowser();
        const int width = 8000;
        const int height = 6000;
        var png = LargePng(width, height);
        long projectId;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var schema = await File.ReadAllTextAsync(Path.Combine(AppFixture.SamplesDir, "image-boxes", "schema.json"));
            projectId = await services.GetRequiredService<ProjectService>().CreateAsync(Caller.System, new ProjectDraft($"Large image {Guid.NewGuid():N}", schema));
            await services.GetRequiredService<ProjectService>().AddMemberByIdAsync(Caller.System, projectId, (await AdminAsync()).UserId, ProjectRole.Annotator);
            var report = await services.GetRequiredService<ImportService>().ImportAsync(Caller.System, projectId, [new ImportFile("large.png", png.Length, () => new MemoryStream(png))]);
            Assert.Equal(1, report.Imported);
        }

        await InBrowserAsync(async page =>
        {
            await page.SignInAsAdminAsync();
            var open = Stopwatch.StartNew();
            await page.GotoAsync($"/projects/{projectId}/annotate");
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=image-editor]')?.dataset.shapes !== undefined && document.querySelector('[data-testid=image-stage] img')?.complete", null, new() { Timeout = Timeout });
            open.Stop();
            await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
            var itemId = await ItemIdAsync(page);
            await page.GetByTestId("image-stage").EvaluateAsync("el => el.scrollIntoView({ block: 'center' })");

            // Forty wheel steps in and out, one an animation frame: how long the frames take while the 48-megapixel
            // image is rescaled.
            var frames = await page.GetByTestId("image-stage").EvaluateAsync<double[]>("""
                async v => {
                  const r = v.getBoundingClientRect();
                  const times = [performance.now()];
                  for (let i = 0; i < 40; i++) {
                    v.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 20 ? -100 : 100, clientX: r.left + r.width * 0.3, clientY: r.top + r.height * 0.3, bubbles: true, cancelable: true }));
                    await new Promise(requestAnimationFrame);
                    times.push(performance.now());
                  }
                  const d = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
                  return [d[Math.floor(d.length / 2)], d[Math.floor(d.length * 0.95)]];
                }
                """);
            output.WriteLine($"8000×6000 PNG ({png.Length / 1000} kB): page load to image shown {open.ElapsedMilliseconds} ms; zoom frames median {frames[0]:0} ms, 95th percentile {frames[1]:0} ms");
            Assert.True(frames[0] < 250, $"zooming the large image took {frames[0]:0} ms a frame");

            // Deep in (about one screen pixel per image pixel and more), a box lands on the image pixels under the pointer.
            var img = page.Locator("[data-testid=image-stage] img");
            var anchor = await ScreenAsync(img, width, height, 0.5, 0.5);
            await page.Mouse.MoveAsync(anchor.X, anchor.Y);
            for (var i = 0; i < 20; i++)
            {
                await page.Mouse.WheelAsync(0, -100);
            }

            var editor = page.GetByTestId("image-editor");
            await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=image-editor]').dataset.zoom) > 1", null, new() { Timeout = Timeout });
            var zoom = double.Parse((await editor.GetAttributeAsync("data-zoom"))!, CultureInfo.InvariantCulture);
            await page.GetByTestId("label-option-tree").ClickAsync();
            var a = await ScreenAsync(img, width, height, 0.499, 0.499);
            var b = await ScreenAsync(img, width, height, 0.503, 0.502);
            var drawn = Stopwatch.StartNew();
            await page.Mouse.MoveAsync(a.X, a.Y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(b.X, b.Y, new() { Steps = 10 });
            await page.Mouse.UpAsync();
            await Expect(page.GetByTestId("shape-chip")).ToHaveCountAsync(1);
            output.WriteLine($"box drawn at zoom {zoom:0.00} and listed by .NET in {drawn.ElapsedMilliseconds} ms");
            await page.Keyboard.PressAsync("Enter");
            await WaitForNextItemAsync(page, itemId);

            var saved = Assert.Single((await SubmittedAsync(projectId, itemId))["objects"]!.AsArray())!.AsObject();
            var tolerance = (1.5 / zoom) + 0.1;
            Assert.True(
                Near(saved["x"], 0.499 * width, tolerance) && Near(saved["y"], 0.499 * height, tolerance)
                && Near(saved["width"], 0.004 * width, 2 * tolerance) && Near(saved["height"], 0.003 * height, 2 * tolerance),
                $"{saved.ToJsonString()} at zoom {zoom}");
        });
    }

    [SkippableFact]
    public Task Review_draws_every_annotators_shapes_over_the_image_and_regions_over_the_waveform() => InBrowserAsync(async page =>
    {
        var png = LargePng(640, 480);
        var wav = await File.ReadAllBytesAsync(Path.Combine(AppFixture.SamplesDir, "audio-segments", "audio", "welcome.wav"));
        var image = await TwoAnnotatorProjectAsync("image-boxes", "scene.png", png,
            """{"objects": [{"x": 10, "y": 10, "width": 50, "height": 40, "label": "car"}, {"x": 100, "y": 100, "width": 30, "height": 60, "label": "person"}], "landmarks": [{"x": 320, "y": 40, "label": "sun"}]}""",
            """{"objects": [{"x": 12, "y": 11, "width": 48, "height": 40, "label": "car"}], "areas": [{"points": [[0, 400], [640, 400], [640, 480]], "label": "grass"}]}""");
        var audio = await TwoAnnotatorProjectAsync("audio-segments", "welcome.wav", wav,
            """{"regions": [{"start": 0.4, "end": 5.2, "label": "speech", "text": "Welcome to Label Bench."}]}""",
            """{"regions": [{"start": 0.3, "end": 2.5, "label": "speech"}, {"start": 2.6, "end": 5.3, "label": "speech"}]}""");
        await page.SignInAsAdminAsync();

        await page.GotoAsync($"/projects/{image}/review");
        var compare = page.GetByTestId("image-compare");
        await Expect(compare).ToHaveAttributeAsync("data-shapes", "5");
        var drawn = compare.Locator("svg [data-layer]");
        await Expect(drawn).ToHaveCountAsync(5);
        var annotators = page.GetByTestId("compare-annotator");
        await Expect(annotators).ToHaveCountAsync(2);
        await Expect(annotators.First).ToContainTextAsync("2 boxes, 1 keypoint");
        await Expect(annotators.Nth(1)).ToContainTextAsync("1 box, 1 polygon");
        // One annotator's shapes hidden by a click on their name.
        await annotators.First.WaitUntilInteractiveAsync();
        await annotators.First.ClickAsync();
        await Expect(drawn).ToHaveCountAsync(2);
        await annotators.First.ClickAsync();
        await Expect(drawn).ToHaveCountAsync(5);
        Directory.CreateDirectory(AppFixture.ScreenshotsDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.ScreenshotsDir, "review-image-compare.png"), FullPage = true });

        await page.GotoAsync($"/projects/{audio}/review");
        var player = page.GetByTestId("audio-compare");
        await Expect(player).ToHaveAttributeAsync("data-ready", "true");
        await Expect(player).ToHaveAttributeAsync("data-source", "peaks");
        await Expect(player).ToHaveAttributeAsync("data-regions", "3");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.ScreenshotsDir, "review-audio-compare.png"), FullPage = true });
    });

    /// <summary>A project from a demo schema with one media item that two annotators have labelled.</summary>
    private async Task<long> TwoAnnotatorProjectAsync(string sample, string fileName, byte[] media, string first, string second)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var projects = services.GetRequiredService<ProjectService>();
        var queue = services.GetRequiredService<QueueService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var schema = await File.ReadAllTextAsync(Path.Combine(AppFixture.SamplesDir, sample, "schema.json"));
        var projectId = await projects.CreateAsync(Caller.System, new ProjectDraft($"Compare {sample} {suffix}", schema, Overlap: 2));
        var report = await services.GetRequiredService<ImportService>().ImportAsync(Caller.System, projectId, [new ImportFile(fileName, media.Length, () => new MemoryStream(media))]);
        Assert.Equal(1, report.Imported);
        var results = new[] { first, second };
        for (var a = 0; a < 2; a++)
        {
            var id = await services.GetRequiredService<UserService>().CreateAsync(Caller.System, $"compare{a}-{suffix}@e2e.test", "Annot-pass-1", admin: false);
            await projects.AddMemberByIdAsync(Caller.System, projectId, id, ProjectRole.Annotator);
            var annotator = new Caller(id);
            var next = await queue.NextAsync(annotator, projectId) ?? throw new InvalidOperationException("the queue ran dry");
            await queue.SubmitAsync(annotator, projectId, next.ItemId, JsonNode.Parse(results[a])!.AsObject(), 1000);
        }

        return projectId;
    }

    /// <summary>A large PNG that compresses well: bands of colour with a grid of squares.</summary>
    private static byte[] LargePng(int width, int height)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(new SkiaSharp.SKColor(0x87, 0xce, 0xeb));
            using var paint = new SkiaSharp.SKPaint();
            for (var y = 0; y < height; y += 500)
            {
                for (var x = 0; x < width; x += 500)
                {
                    paint.Color = new SkiaSharp.SKColor((byte)(x / 40), (byte)(y / 30), 120);
                    canvas.DrawRect(x + 50, y + 50, 400, 400, paint);
                }
            }
        }

        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 6);
        return data.ToArray();
    }

    /// <summary>An hour of 16 kHz mono 16-bit PCM: a tone whose loudness swells and fades every ten seconds.</summary>
    private static void WriteHourLongWav(string path)
    {
        const int rate = 16_000;
        const int seconds = 3600;
        var dataBytes = rate * seconds * 2;
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], dataBytes);
        file.Write(header);
        var second = new byte[rate * 2];
        for (var s = 0; s < seconds; s++)
        {
            var loudness = 0.1 + (0.8 * Math.Abs(Math.Sin(Math.PI * s / 10)));
            for (var i = 0; i < rate; i++)
            {
                var v = (short)(loudness * 20_000 * Math.Sin(2 * Math.PI * 440 * i / rate));
                BinaryPrimitives.WriteInt16LittleEndian(second.AsSpan(i * 2), v);
            }

            file.Write(second);
        }
    }

    private async Task<Caller> AdminAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        return new Caller(await db.Users.Where(u => u.Email == AppFixture.AdminEmail).Select(u => u.Id).SingleAsync());
    }

    /// <summary>Deletes the regions a prediction or draft put on the item (the tests draw their own).</summary>
    private static async Task RemoveRegionsAsync(IPage page)
    {
        while (await page.GetByTestId("region-delete").CountAsync() is var n and > 0)
        {
            await page.GetByTestId("region-delete").First.ClickAsync();
            await Expect(page.GetByTestId("region-delete")).ToHaveCountAsync(n - 1);
        }
    }

    /// <summary>The screen point of a place in the image given as a fraction of its width and height.</summary>
    private static async Task<(float X, float Y)> ScreenAsync(ILocator img, double width, double height, double fx, double fy)
    {
        var box = (await img.BoundingBoxAsync())!;
        return ((float)(box.X + (fx * width * box.Width / width)), (float)(box.Y + (fy * height * box.Height / height)));
    }

    private static bool Inside(LocatorBoundingBoxResult area, (float X, float Y) p) =>
        p.X > area.X + 2 && p.X < area.X + area.Width - 2 && p.Y > area.Y + 2 && p.Y < area.Y + area.Height - 2;

    private static bool Near(JsonNode? node, double expected, double tolerance) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && Math.Abs(d - expected) <= tolerance;

    private static async Task<long> ItemIdAsync(IPage page) =>
        long.Parse((await page.GetByTestId("annotate-workspace").GetAttributeAsync("data-item-id"))!, CultureInfo.InvariantCulture);

    private static Task WaitForNextItemAsync(IPage page, long itemId) =>
        page.WaitForFunctionAsync(
            "id => { const w = document.querySelector('[data-testid=annotate-workspace]'); return w && w.dataset.itemId !== String(id); }",
            itemId, new() { Timeout = Timeout });

    private async Task<long> ProjectIdAsync(string name)
    {
        var projects = await App.WithServiceAsync<ProjectService, IReadOnlyList<ProjectSummary>>(s => s.ListAsync(Caller.System));
        return projects.Single(p => p.Name == name).Id;
    }

    private async Task<JsonObject> SubmittedAsync(long project, long itemId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>();
        string admin;
        await using (var db = await factory.CreateDbContextAsync())
        {
            admin = await db.Users.Where(u => u.Email == AppFixture.AdminEmail).Select(u => u.Id).SingleAsync();
        }

        var stored = await scope.ServiceProvider.GetRequiredService<QueueService>().SubmittedAsync(new Caller(admin), project, itemId);
        return stored.Result;
    }
}
