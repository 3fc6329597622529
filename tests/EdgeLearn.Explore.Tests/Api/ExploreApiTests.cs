using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeLearn.Explore.Hosting;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeLearn.Explore.Tests.Api;

/// <summary>The JSON API over a real Kestrel server on 127.0.0.1 (no browser).</summary>
public sealed class ExploreApiTests(ExploreServerFixture fixture) : IClassFixture<ExploreServerFixture>
{
    private static readonly ExploreSpace Space = ExploreSpace.For(DefaultScenario.Create());

    private HttpClient Client => fixture.Client;

    private async Task<(HttpStatusCode Status, JsonNode Body)> Get(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Plan_DefaultLevers_IsThePlannersPlanOfTheScenario()
    {
        var expected = Planner.Plan(DefaultScenario.Create()).Plan!;

        var (status, body) = await Get("/api/plan");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("planned", (string)body["status"]!);
        var plan = body["plan"]!;
        Assert.Equal(expected.PretrainRounds, (int)plan["pretrainRounds"]!);
        Assert.Equal(expected.FinetuneRounds, (int)plan["finetuneRounds"]!);
        Assert.Equal(expected.Server.Batch, (int)plan["serverBatch"]!);
        Assert.Equal(expected.Predicted.Bound, (double)plan["bound"]!);
        Assert.True((bool)plan["delayBinds"]!);
        Assert.Contains("delay budget binds", plan["binding"]!.AsArray().Select(b => (string)b!));
        var devices = plan["deviceList"]!.AsArray();
        Assert.Equal(expected.Devices.Select(d => d.Batch), devices.Select(d => (int)d!["batch"]!));
        // The per-device round time splits into compute and upload, and no device exceeds the round.
        double round = (double)plan["finetuneRoundS"]!;
        Assert.All(devices, d => Assert.True((double)d!["computeS"]! + (double)d["uploadS"]! <= round * (1 + 1e-9)));
    }

    [Fact]
    public async Task Plan_MovedLevers_IsThePlannersPlanOfTheWhatIfScenario()
    {
        var levers = Space.Defaults with { EnergyJ = 80, Devices = 30, Shift = 6, BandwidthHz = 4e5 };
        var expected = Planner.Plan(WhatIf.Apply(Space, levers), Scheme.Separate).Plan!;

        var (_, body) = await Get("/api/plan?budget.energyJ=80&devices=30&learning.shift.wasserstein=6&devices.bandwidthHz=4e5&scheme=separate");

        Assert.Equal("separate", (string)body["scheme"]!);
        Assert.Equal(30, (int)body["devices"]!);
        Assert.Equal(expected.PretrainRounds, (int)body["plan"]!["pretrainRounds"]!);
        Assert.Equal(expected.FinetuneRounds, (int)body["plan"]!["finetuneRounds"]!);
        Assert.Equal(expected.Predicted.Bound, (double)body["plan"]!["bound"]!);
    }

    [Fact]
    public async Task Plan_BudgetBelowTheFeasibilityLimit_SaysWhyWithTheSmallestWorkableBudgets()
    {
        var expected = Planner.Plan(DefaultScenario.Create() with { Budget = new BudgetSpec { EnergyJ = 1e-4, DelayS = 300 } }).Infeasibility!;

        var (status, body) = await Get("/api/plan?budget.energyJ=1e-4");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("infeasible", (string)body["status"]!);
        Assert.Null(body["plan"]);
        Assert.Equal(expected.Message, (string)body["infeasibility"]!["message"]!);
        Assert.Equal(expected.MinimumEnergyJ, (double)body["infeasibility"]!["minimumEnergyJ"]!);
    }

    [Theory]
    [InlineData("budget.energyJ=-5", "budget.energyJ", "budget.energyJ is -5; it must be positive.")]
    [InlineData("devices=0", "devices", "devices is 0; it must be between 1 and 100000.")]
    [InlineData("budget.delayS=1&budget.delayS=2", "budget.delayS", "budget.delayS is given 2 times; it must be given once.")]
    [InlineData("limit=3", "limit", "limit is not a parameter of this API; it must be one of budget.energyJ, budget.delayS, learning.shift.wasserstein, devices, devices.bandwidthHz, server.maxFrequencyHz, scheme.")]
    public async Task Plan_BadParameter_Is400WithTheFieldAndOneLine(string query, string field, string error)
    {
        var (status, body) = await Get("/api/plan?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, (string)body["field"]!);
        Assert.Equal(error, (string)body["error"]!);
    }

    [Fact]
    public void AnyEndpoint_AnyParameterValue_AnswersOkOr400_Never500()
    {
        string[] paths = ["/api/plan", "/api/compare", "/api/export/scenario", "/api/export/plan", "/api/curves", "/api/heatmap"];
        string[] names = ["budget.energyJ", "budget.delayS", "learning.shift.wasserstein", "devices", "devices.bandwidthHz", "server.maxFrequencyHz", "scheme", "limit", "learning.shift.gap"];
        string[] values = ["-1", "0", "1e-300", "1e300", "NaN", "Infinity", "abc", "", "3", "0.5", "1e12", "joint", "2147483648", "1,5", " 7 ", "%00", "1e9"];
        var pair = Gen.Elements(names).SelectMany(n => Gen.Elements(values).Select(v => $"{n}={Uri.EscapeDataString(v)}"));
        var cases = Gen.Elements(paths).SelectMany(p => Gen.Choose(1, 3).SelectMany(k => Gen.ListOf(pair, k).Select(q => (p, q: string.Join("&", q)))));

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // Sweeps: the first points only (a limit given by the case itself wins, or is refused when repeated).
            string query = c.p is "/api/curves" or "/api/heatmap" && !c.q.Contains("limit=", StringComparison.Ordinal) ? c.q + "&limit=1" : c.q;
            using var response = Client.GetAsync($"{c.p}?{query}").GetAwaiter().GetResult();
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Conflict
                && !body.Contains("internal error", StringComparison.Ordinal) && !body.Contains("NaN", StringComparison.Ordinal)
                && !body.Contains("Infinity", StringComparison.Ordinal);
        }).Check(Config.Quick.WithMaxTest(150).WithReplay(20261130UL, 20261205UL));
        Assert.Empty(fixture.Log);
    }

    [Fact]
    public async Task Compare_EverySchemeJointFirst()
    {
        var (_, body) = await Get("/api/compare?budget.energyJ=150");

        var results = body["results"]!.AsArray();
        Assert.Equal(SchemeNames.All.Select(s => s.ToName()), results.Select(r => (string)r!["scheme"]!));
        var joint = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { EnergyJ = 150 })).Plan!;
        Assert.Equal(joint.Predicted.Bound, (double)results[0]!["plan"]!["bound"]!);
    }

    [Fact]
    public async Task Curves_StreamTheHeaderThenEverySchemeAtEachEnergyCoarseToFine()
    {
        var lines = await Lines("/api/curves?devices=12&limit=12");

        Assert.Equal(13, lines.Count);
        var energies = lines[0]["energies"]!.AsArray().Select(e => (double)e!).ToList();
        Assert.Equal(17, energies.Count);
        Assert.Equal(SchemeNames.All.Select(s => s.ToName()), lines.Skip(1).Take(6).Select(l => (string)l["scheme"]!));
        Assert.All(lines.Skip(1).Take(6), l => Assert.Equal(energies[0], (double)l["energyJ"]!));
        Assert.All(lines.Skip(7), l => Assert.Equal(energies[^1], (double)l["energyJ"]!));
        var top = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { Devices = 12, EnergyJ = energies[^1] }), Scheme.FixedBatch).Plan!;
        Assert.Equal(top.Predicted.Bound, (double)lines[10]["bound"]!);
    }

    [Fact]
    public async Task Heatmap_CornersFirst_InfeasibleCellsHaveNoBound_AndMZeroIsReported()
    {
        var lines = await Lines("/api/heatmap?limit=4");

        var cells = lines.Skip(1).ToList();
        Assert.Equal(["joint"], [(string)lines[0]["scheme"]!]);
        Assert.Equal([(0, 0), (0, 20), (20, 0), (20, 20)], cells.Select(c => ((int)c["row"]!, (int)c["column"]!)));
        // The smallest budgets in both directions admit no plan; the largest do, with pre-training.
        Assert.Equal("infeasible", (string)cells[0]["status"]!);
        Assert.Null(cells[0]["bound"]);
        Assert.Equal("planned", (string)cells[3]["status"]!);
        Assert.True((int)cells[3]["pretrainRounds"]! > 0);
        // Short delay budgets leave no time worth pre-training for: the map has an M = 0 region, and one with M > 0.
        var planned = (await Lines("/api/heatmap?limit=60")).Skip(1).Where(c => (string)c["status"]! == "planned").ToList();
        Assert.Contains(planned, c => (int)c["pretrainRounds"]! == 0);
        Assert.Contains(planned, c => (int)c["pretrainRounds"]! > 0);
    }

    [Fact]
    public async Task Heatmap_ClientGoesAway_PlanningStops()
    {
        var plans = fixture.Server.Plans;
        // Like a browser's abort: the connection closes at once (HttpClient would otherwise drain the response to reuse it).
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Server.Address };
        using (var response = await client.GetAsync("/api/heatmap?devices=300", HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await reader.ReadLineAsync();
            await reader.ReadLineAsync();
        }

        await Task.Delay(1000);
        int after = plans.Solved;
        await Task.Delay(1500);

        Assert.InRange(plans.Solved - after, 0, 1); // at most the plan that was running when the client left
    }

    [Fact]
    public async Task Exports_AreTheWhatIfScenarioAndAPlanThatFitsIt()
    {
        const string query = "budget.energyJ=120&devices=14&scheme=max-resource";
        string scenarioText = await Client.GetStringAsync("/api/export/scenario?" + query);
        using var planResponse = await Client.GetAsync("/api/export/plan?" + query);

        var scenario = ScenarioJson.Parse(scenarioText);
        Assert.True(scenario.IsValid);
        Assert.Equal(WhatIf.Apply(Space, Space.Defaults with { EnergyJ = 120, Devices = 14 }), scenario.Scenario);
        Assert.Equal("attachment; filename=plan.json", planResponse.Content.Headers.ContentDisposition!.ToString().Split(';').Take(2).Aggregate((a, b) => a + ";" + b));
        var plan = PlanJson.Parse(await planResponse.Content.ReadAsStringAsync());
        Assert.True(plan.IsValid);
        var evaluation = PlanEvaluator.Evaluate(scenario.Scenario, plan.Plan!);
        Assert.True(evaluation.Feasible);
        Assert.Equal(Planner.Plan(scenario.Scenario, Scheme.MaxResource).Plan!.Predicted.Bound, evaluation.Bound, 12);
    }

    [Fact]
    public async Task ExportPlan_NoPlanFits_Is409WithTheReason()
    {
        var (status, body) = await Get("/api/export/plan?budget.energyJ=1e-4");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.StartsWith("No joint plan to export: the energy budget binds", (string)body["error"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_EveryScriptAndStyleSheetComesFromTheServerItself()
    {
        string html = await Client.GetStringAsync("/");
        string script = await Client.GetStringAsync("/explore.js");
        string style = await Client.GetStringAsync("/explore.css");

        var references = Regex.Matches(html, "(?:src|href)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/explore.js", references);
        Assert.Contains("/explore.css", references);
        Assert.All(references, r => Assert.True(r.StartsWith('/') || r.StartsWith("data:", StringComparison.Ordinal) || r == "#", r));
        // No address anywhere but the SVG namespace (a name, never fetched).
        Assert.DoesNotContain(Regex.Matches(html + script + style, "https?://[^\"' )]+"), m => m.Value != "http://www.w3.org/2000/svg");
        Assert.DoesNotContain("@import", style, StringComparison.Ordinal); // no imported style sheets
    }

    [Fact]
    public async Task Server_ListensOnTheLoopbackOnly_WhateverTheEnvironmentSays()
    {
        // ASP.NET Core's default builders would add this endpoint on every interface (this test class's servers all
        // started before it, and no other test class of this assembly starts one).
        Environment.SetEnvironmentVariable("Kestrel__Endpoints__Extra__Url", "http://0.0.0.0:0");
        try
        {
            await using var second = await ExploreServer.StartAsync(DefaultScenario.Create(), new ExploreServerOptions(), CancellationToken.None);

            Assert.Equal([second.Address.ToString().TrimEnd('/')], second.Listening);
            Assert.Equal("127.0.0.1", second.Address.Host);
            Assert.NotEqual(fixture.Server.Address.Port, second.Address.Port); // port 0 = a free port each time
            await second.StopAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("Kestrel__Endpoints__Extra__Url", null);
        }
    }

    [Fact]
    public async Task Server_ARequestForAnotherHost_Is400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/space");
        request.Headers.Host = "attacker.example:80";

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the explorer answers only requests to 127.0.0.1 or localhost", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private async Task<List<JsonNode>> Lines(string path)
    {
        string text = await Client.GetStringAsync(path);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }
}
