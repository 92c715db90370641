namespace LiveHub.Tests.Infrastructure;

public static class Repo
{
    /// <summary>The checkout's root: the folder holding LiveHub.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where tests leave screenshots and other artifacts, beside the test results.</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("LIVEHUB_TEST_ARTIFACTS") ?? Path.Combine(Root, "TestResults", "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("LiveHub.sln not found above " + AppContext.BaseDirectory);
    }
}
