using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace EdgeLearn.Cli.Tests.Commands.Explore;

/// <summary>
/// Debian's Chromium, headless, driven by its chromedriver through Selenium (no driver download: both paths are given).
/// Paths: <c>EDGELEARN_CHROMIUM</c> and <c>EDGELEARN_CHROMEDRIVER</c>, else <c>/usr/bin/chromium</c> and
/// <c>/usr/bin/chromedriver</c> (<c>apt-get install chromium chromium-driver</c>; .ci/run installs them).
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private readonly ChromeDriver _driver;

    public HeadlessChromium(string downloads)
    {
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1250",
            "--no-first-run", "--disable-extensions", "--disable-background-networking");
        options.AddUserProfilePreference("download.default_directory", downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromMinutes(1);
    }

    public static string BrowserPath => Environment.GetEnvironmentVariable("EDGELEARN_CHROMIUM") ?? "/usr/bin/chromium";

    public static string DriverPath => Environment.GetEnvironmentVariable("EDGELEARN_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    /// <summary>Why the browser tests cannot run here, or null when Chromium and its driver are installed.</summary>
    public static string? Missing => File.Exists(BrowserPath) && File.Exists(DriverPath)
        ? null
        : $"Chromium ({BrowserPath}) or chromedriver ({DriverPath}) is not installed: apt-get install -y chromium chromium-driver";

    public IWebDriver Driver => _driver;

    public IWebElement Find(string id) => _driver.FindElement(By.Id(id));

    public object? Script(string script, params object[] args) => _driver.ExecuteScript(script, args);

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(_driver, timeout ?? TimeSpan.FromSeconds(60)) { Message = what, PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        wait.Until(_ => condition());
    }

    /// <summary>Waits until the page has answered its latest request (plan and, when asked, the comparison).</summary>
    public void WaitForAnswer()
    {
        WaitUntil(() => Script("return document.body.dataset.state !== 'loading' && document.body.dataset.pending !== undefined && document.body.dataset.pending === document.body.dataset.answered") is true,
            "the page did not answer its latest request");
    }

    /// <summary>The browser console's messages of level SEVERE (errors), each as text.</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. _driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}

/// <summary>A [Fact] that is skipped, with the reason, where Chromium is not installed, unless EDGELEARN_REQUIRE_BROWSER=1
/// (as in CI), where a missing browser fails the test instead.</summary>
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.Missing is { } missing && Environment.GetEnvironmentVariable("EDGELEARN_REQUIRE_BROWSER") != "1")
        {
            Skip = missing;
        }
    }
}
