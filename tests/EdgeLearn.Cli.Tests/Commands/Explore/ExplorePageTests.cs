using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace EdgeLearn.Cli.Tests.Commands.Explore;

/// <summary>One <c>edgelearn explore</c> and one headless Chromium for the page tests.</summary>
public sealed class ExplorePageFixture : IDisposable
{
    private readonly TempFolder _downloads = new();
    private readonly Lazy<HeadlessChromium> _browser;

    public ExplorePageFixture()
    {
        Explorer = new RunningExplorer();
        _browser = new Lazy<HeadlessChromium>(() => new HeadlessChromium(_downloads.Path));
    }

    internal RunningExplorer Explorer { get; }

    internal HeadlessChromium Browser => _browser.Value;

    internal string Downloads => _downloads.Path;

    public void Dispose()
    {
        if (_browser.IsValueCreated) _browser.Value.Dispose();
        Explorer.Dispose();
        _downloads.Dispose();
    }
}

/// <summary>The explorer's page in a real browser (Debian's Chromium, headless, via Selenium).</summary>
[Collection(nameof(ExplorePageTests))] // one browser at a time: the machine has two cores
public sealed class ExplorePageTests(ExplorePageFixture fixture, ITestOutputHelper output) : IClassFixture<ExplorePageFixture>
{
    private static readonly ExploreSpace Space = ExploreSpace.For(DefaultScenario.Create());

    private HeadlessChromium Browser => fixture.Browser;

    /// <summary>Opens the page afresh and waits for its first answer; the console log starts empty.</summary>
    private void Open()
    {
        Browser.Driver.Navigate().GoToUrl(fixture.Explorer.Url);
        Browser.WaitForAnswer();
    }

    private IWebElement Slider(string lever) => Browser.Driver.FindElement(By.CssSelector($".lever[data-lever=\"{lever}\"] input[type=range]"));

    private IWebElement ValueBox(string lever) => Browser.Driver.FindElement(By.CssSelector($".lever[data-lever=\"{lever}\"] input[type=text]"));

    private void Type(string lever, string text)
    {
        var box = ValueBox(lever);
        box.Clear();
        box.SendKeys(text + Keys.Enter);
        Browser.WaitForAnswer();
    }

    /// <summary>The energy budget of the page's latest request, exactly as it went to the API.</summary>
    private double RequestedEnergy()
    {
        string pending = (string)Browser.Script("return document.body.dataset.pending")!;
        string value = pending.Split('&').Select(Uri.UnescapeDataString).First(p => p.StartsWith("budget.energyJ=", StringComparison.Ordinal))["budget.energyJ=".Length..];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    private string Text(string id) => Browser.Find(id).Text;

    [BrowserFact]
    public void Page_Loads_WithoutConsoleErrors_ShowsTheDefaultPlan_AndFillsItsCurvesAndHeatMap()
    {
        Browser.Driver.Manage().Logs.GetLog(LogType.Browser); // start from an empty log
        var expected = Planner.Plan(DefaultScenario.Create()).Plan!;

        Open();

        Assert.Equal(expected.PretrainRounds.ToString(CultureInfo.InvariantCulture), Text("m"));
        Assert.Equal(expected.FinetuneRounds.ToString(CultureInfo.InvariantCulture), Text("n"));
        Assert.Equal(expected.Server.Batch.ToString(CultureInfo.InvariantCulture), Text("b0"));
        Assert.Equal("delay budget binds", Text("bind-delay"));
        Assert.Equal(10 * 5 + 2, Browser.Driver.FindElements(By.CssSelector("#devices-chart rect")).Count); // batch, frequency, power, compute + upload; legend
        Browser.WaitUntil(() => Browser.Driver.FindElements(By.CssSelector("#map-chart rect.cell, #map-chart rect.infeasible")).Count == 21 * 21
                && Browser.Driver.FindElements(By.CssSelector("#curves-chart polyline")).Count == 6,
            "the heat map and the curves did not fill in", TimeSpan.FromMinutes(3));
        Assert.NotEmpty(Browser.Driver.FindElements(By.CssSelector("#map-chart rect.infeasible"))); // the smallest budgets admit no plan
        Assert.NotEmpty(Browser.Driver.FindElements(By.CssSelector("#map-chart path.pretraining-off"))); // short delays: M = 0
        Assert.Equal(2, Browser.Driver.FindElements(By.CssSelector("#map-chart circle.current, #curves-chart circle.current")).Count);
        Assert.Empty(Browser.ConsoleErrors());
        if (Environment.GetEnvironmentVariable("EDGELEARN_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            ((ITakesScreenshot)Browser.Driver).GetScreenshot().SaveAsFile(screenshot);
        }
    }

    [BrowserFact]
    public void EnergySlider_MovedBelowTheDefault_ChangesMOrNAsTheLibraryPredictsForThatBudget()
    {
        Open();
        var slider = Slider(LeverQuery.EnergyJ);

        slider.SendKeys(string.Concat(Enumerable.Repeat(Keys.ArrowLeft, 150))); // 150 of 1000 steps over eight decades: ÷ 16
        Browser.WaitForAnswer();

        double energy = RequestedEnergy();
        Assert.InRange(energy, 10, 30);
        output.WriteLine($"last of 150 moves: {Text("timing")}"); // docs/performance.md, "Explorer" (not asserted: no timed tests)
        var scenario = WhatIf.Apply(Space, Space.Defaults with { EnergyJ = energy });
        var expected = Planner.Plan(scenario).Plan!;
        Assert.Equal(expected.PretrainRounds.ToString(CultureInfo.InvariantCulture), Text("m"));
        Assert.Equal(expected.FinetuneRounds.ToString(CultureInfo.InvariantCulture), Text("n"));
        Assert.True(expected.PretrainRounds != 412 || expected.FinetuneRounds != 330, "the budget change did not change the plan");
        var evaluation = PlanEvaluator.Evaluate(scenario, expected);
        Assert.Equal(BindingConstraints.Binds(evaluation, "budget.energyJ") ? "energy budget binds" : "energy budget has slack", Text("bind-energy"));
        Assert.Equal("Binding: " + BindingConstraints.Summary(evaluation), Text("binding"));
        for (int move = 0; move < 5; move++)
        {
            slider.SendKeys(Keys.ArrowLeft);
            Browser.WaitForAnswer();
            output.WriteLine($"then one move: {Text("timing")}");
        }
    }

    [BrowserFact]
    public void EnergyBelowTheFeasibilityLimit_ShowsTheInfeasibilityWithTheSmallestWorkableBudget()
    {
        Open();

        Slider(LeverQuery.EnergyJ).SendKeys(Keys.Home); // the slider's smallest budget, a third of the smallest workable one
        Browser.WaitForAnswer();

        var why = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { EnergyJ = RequestedEnergy() })).Infeasibility!;
        var message = Browser.Find("message");
        Assert.True(message.Displayed);
        Assert.Contains(why.Message, message.Text, StringComparison.Ordinal);
        Assert.Contains($"an energy budget of at least {why.MinimumEnergyJ.ToString("G6", CultureInfo.InvariantCulture)} J", message.Text, StringComparison.Ordinal);
        Assert.Equal("–", Text("m"));
        Assert.Equal("energy", why.BindingBudget);
        Assert.Equal("energy budget too small: no plan fits", Text("bind-energy"));
        Assert.Equal("delay budget", Text("bind-delay"));
        Assert.Contains("disabled", Browser.Find("export-plan").GetAttribute("class"), StringComparison.Ordinal);

        // The way out: one click to just above the smallest workable energy budget, where a plan fits.
        Browser.Find("use-smallest").Click();
        Browser.WaitForAnswer();
        Assert.Equal(why.MinimumEnergyJ * 1.001, RequestedEnergy(), why.MinimumEnergyJ * 1e-9);
        var edge = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { EnergyJ = RequestedEnergy() }));
        Assert.True(edge.HasPlan);
        Assert.Equal(edge.Plan!.FinetuneRounds.ToString(CultureInfo.InvariantCulture), Text("n"));
        Assert.False(Browser.Find("message").Displayed);
    }

    [BrowserFact]
    public void ExportedScenarioAndPlan_RoundTripThroughEvaluate()
    {
        Open();
        Type(LeverQuery.Devices, "20");
        Type(LeverQuery.EnergyJ, "150");
        foreach (string file in new[] { "scenario.json", "plan.json" }) File.Delete(Path.Combine(fixture.Downloads, file));

        Browser.Find("export-scenario").Click();
        Browser.Find("export-plan").Click();
        string scenario = Path.Combine(fixture.Downloads, "scenario.json"), plan = Path.Combine(fixture.Downloads, "plan.json");
        Browser.WaitUntil(() => File.Exists(scenario) && File.Exists(plan), "the exports were not downloaded");

        var result = CliRunner.Run("evaluate", "--scenario", scenario, "--plan", plan);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.DoesNotContain("VIOLATED", result.Output, StringComparison.Ordinal);
        var expected = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { Devices = 20, EnergyJ = 150 })).Plan!;
        var exported = PlanJson.Load(plan).Plan!;
        Assert.Equal((expected.PretrainRounds, expected.FinetuneRounds, expected.Server), (exported.PretrainRounds, exported.FinetuneRounds, exported.Server));
        Assert.Equal(expected.Devices, exported.Devices);
        Assert.Equal(20, ScenarioJson.Load(scenario).Scenario!.Devices.Count);
        Assert.Contains(expected.Predicted.Bound.ToString("G8", CultureInfo.InvariantCulture), result.Output, StringComparison.Ordinal);
    }

    [BrowserFact]
    public void Address_CarriesTheWhatIf_SoItCanBeReloadedAndShared()
    {
        Browser.Driver.Navigate().GoToUrl(fixture.Explorer.Url + "?budget.energyJ=150&devices=20&scheme=separate");
        Browser.WaitForAnswer();

        Assert.Equal(("150", "20", "separate"), (ValueBox(LeverQuery.EnergyJ).GetAttribute("value"), ValueBox(LeverQuery.Devices).GetAttribute("value"),
            (string)Browser.Script("return document.getElementById('scheme').value")!));
        var expected = Planner.Plan(WhatIf.Apply(Space, Space.Defaults with { EnergyJ = 150, Devices = 20 }), Scheme.Separate).Plan!;
        Assert.Equal(expected.FinetuneRounds.ToString(CultureInfo.InvariantCulture), Text("n"));

        Type(LeverQuery.DelayS, "90");
        Assert.Contains("budget.delayS=90", Browser.Driver.Url, StringComparison.Ordinal);
        Assert.Contains("scheme=separate", Browser.Driver.Url, StringComparison.Ordinal);
    }

    [BrowserFact]
    public void BadValue_ShowsTheApisMessageOnThePage_AndMarksTheLever()
    {
        Open();

        Type(LeverQuery.EnergyJ, "-5");

        Assert.Equal("budget.energyJ is -5; it must be positive.", Text("message"));
        Assert.Contains("invalid", Browser.Driver.FindElement(By.CssSelector(".lever[data-lever=\"budget.energyJ\"]")).GetAttribute("class"), StringComparison.Ordinal);
        Assert.Equal(("energy budget", "delay budget"), (Text("bind-energy"), Text("bind-delay"))); // nothing left from the last plan
        Assert.Empty(Browser.Driver.FindElements(By.CssSelector("#map-chart rect.cell, #devices-chart rect")));
        Type(LeverQuery.EnergyJ, "300");
        Assert.False(Browser.Find("message").Displayed);
        Assert.Equal("412", Text("m"));
    }

    [BrowserFact]
    public void CompareAll_ListsEverySchemeWithTheLibrarysBounds()
    {
        Open();

        Browser.Find("compare-all").Click();
        Browser.WaitForAnswer();

        var rows = Browser.Driver.FindElements(By.CssSelector("#compare tbody tr"));
        Assert.Equal(SchemeNames.All.Select(s => s.ToName()), rows.Select(r => r.FindElements(By.TagName("td"))[0].Text));
        var fixedBatch = Planner.Plan(DefaultScenario.Create(), Scheme.FixedBatch).Plan!;
        Assert.Equal(fixedBatch.FinetuneRounds.ToString(CultureInfo.InvariantCulture), rows[3].FindElements(By.TagName("td"))[2].Text);
    }
}
