using LabelBench.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
app.UseApplicationPipeline();
app.MapApplicationEndpoints();

await app.InitializeLabelBenchAsync();
await app.RunAsync();
