using LabelBench.Data.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace LabelBench.Data.ActiveLearning;

/// <summary>Registers the model loop: predictions, the built-in classifier, and the guarded client for model services.</summary>
public static class ActiveLearningRegistration
{
    public static IServiceCollection AddActiveLearning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelServiceOptions>().Bind(configuration.GetSection(ModelServiceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboundConnectionGuard>();
        services.AddSingleton<ModelServiceClient>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton<ModelTrainingService>();
        services.AddSingleton<ModelServiceSync>();
        services.AddSingleton<ActiveLearningService>();

        services.AddHttpClient(ModelServiceClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundConnectionGuard>().CreateHandler())
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<ModelServiceOptions>>().Value;
                client.MaxResponseContentBufferSize = o.MaxResponseMegabytes * 1024L * 1024;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("LabelBench");
                // The resilience handler's total timeout governs; this only must not cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler()
            .Configure((options, sp) =>
            {
                var o = sp.GetRequiredService<IOptions<ModelServiceOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(o.AttemptTimeoutSeconds);
                options.AttemptTimeout.Timeout = attempt;
                options.TotalRequestTimeout.Timeout = attempt * 4;
                options.CircuitBreaker.SamplingDuration = attempt * 2 + TimeSpan.FromSeconds(1);
                options.Retry.MaxRetryAttempts = 2;
                // A refused address is a decision, not a transient fault: no retry, and it does not trip the breaker.
                options.Retry.ShouldHandle = args => ValueTask.FromResult(!ModelServiceClient.IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(!ModelServiceClient.IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            })
            // One breaker per service host, so one project's broken service does not stop another's.
            .SelectPipelineByAuthority();
        return services;
    }
}
