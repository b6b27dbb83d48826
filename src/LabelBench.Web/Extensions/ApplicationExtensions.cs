using LabelBench.Data;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Web.Api;
using LabelBench.Web.Auth;
using LabelBench.Web.Background;
using LabelBench.Web.Components;
using LabelBench.Web.Components.Account;
using LabelBench.Web.Startup;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace LabelBench.Web.Extensions;

/// <summary>The web app's table of contents: what it registers, how requests flow, which endpoints it maps.</summary>
public static class ApplicationExtensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new NonFiniteAsNullConverter()));
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "LabelBench API";
            doc.Info.Description = "Projects, import, the annotation queue, review and export. Authenticate with `Authorization: Bearer <token>` (create one at /account/tokens or with `labelbench tokens create`).";
            return Task.CompletedTask;
        }));

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            // API callers get status codes, not a redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization(AuthPolicies.Add);

        services.AddDataProtection().SetApplicationName("LabelBench").PersistKeysToDbContext<LabelBenchDbContext>();
        services.AddLabelBenchData(builder.Configuration)
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddSingleton<FirstStart>();
        // Writes export snapshots in the background, so a large export survives a closed browser.
        services.AddHostedService<ExportSnapshotWorker>();
        services.AddOptions<AutoTrainOptions>().Bind(builder.Configuration.GetSection(AutoTrainOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<AutoTrainingWorker>();
        services.AddOptions<AgreementOptions>().Bind(builder.Configuration.GetSection(AgreementOptions.SectionName));
        services.AddHostedService<AgreementWarmupWorker>();
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/media"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static void UseApplicationPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Inside the page handler: API callers get problem+json for errors that have no body yet (a body that is not
        // JSON, no token, no such route), which the not-found page above then leaves alone.
        app.UseWhen(ctx => IsApi(ctx.Request.Path), api => api.UseStatusCodePages(WriteApiProblemAsync));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/api");

    private static async Task WriteApiProblemAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status400BadRequest => "the request could not be read: send a JSON body of the shape in /openapi/v1.json, with Content-Type: application/json",
            StatusCodes.Status401Unauthorized => "send a valid personal access token as Authorization: Bearer <token>",
            StatusCodes.Status404NotFound => $"no API route matches {http.Request.Method} {http.Request.Path}",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not accept {http.Request.Method}",
            StatusCodes.Status415UnsupportedMediaType => "send the body as application/json (or multipart/form-data for imports)",
            _ => null,
        };
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    public static void MapApplicationEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapGet("/health", (FirstStart start) => start.Ready ? Results.Ok(new { status = "ready" }) : Results.StatusCode(StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapProjectsApi();
        app.MapReviewApi();
        app.MapAuditApi();
        app.MapMediaApi();
        app.MapExportsApi();
        app.MapModelApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
    }

    public static async Task InitializeLabelBenchAsync(this WebApplication app)
    {
        var start = app.Services.GetRequiredService<FirstStart>();
        await start.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
    }
}
