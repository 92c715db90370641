using System.Reflection;
using System.Text.RegularExpressions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>
/// docs/reliability.md and docs/security.md say which test proves what. They stay true: every test of the fault suite is in
/// the reliability table, and every test either document names exists.
/// </summary>
public sealed partial class FaultDocumentTests
{
    private static readonly IReadOnlyList<MethodInfo> Tests = typeof(FaultDocumentTests).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
        .ToList();

    [Fact]
    public void EveryTestOfTheFaultSuiteHasItsRowInTheReliabilityTable()
    {
        var document = Read("reliability.md");
        var missing = Tests
            .Where(m => m.DeclaringType!.Namespace == typeof(FaultDocumentTests).Namespace && m.DeclaringType != typeof(FaultDocumentTests))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .Where(name => !document.Contains($"`{name}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"docs/reliability.md has no row for: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("reliability.md")]
    [InlineData("security.md")]
    public void EveryTestTheDocumentNamesExists(string file)
    {
        var classes = Tests.Select(m => m.DeclaringType!.Name).ToHashSet();
        var qualified = Tests.Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        var methods = Tests.Select(m => m.Name).ToHashSet();
        var named = Quoted().Matches(Read(file)).Select(m => m.Groups[1].Value).ToList();
        var unknown = named.Where(n => TestClass().IsMatch(n) ? !(n.Contains('.') ? qualified.Contains(n) : classes.Contains(n))
                : TestMethod().IsMatch(n) && !methods.Contains(n))
            .Distinct()
            .ToList();

        Assert.NotEmpty(named);
        Assert.True(unknown.Count == 0, $"docs/{file} names tests that do not exist: {string.Join(", ", unknown)}");
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Repo.Root, "docs", file));

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Quoted();

    /// <summary>A test class, alone or with one of its methods: <c>RedisOutageTests</c>, <c>RedisOutageTests.Method</c>.</summary>
    [GeneratedRegex(@"^[A-Z]\w*Tests(\.[A-Z]\w+)?$")]
    private static partial Regex TestClass();

    /// <summary>A test method by its name alone: a sentence in PascalCase of six words or more.</summary>
    [GeneratedRegex(@"^[A-Z][a-z0-9]*([A-Z][a-z0-9]*){5,}$")]
    private static partial Regex TestMethod();
}
