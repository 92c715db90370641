using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Pages;

/// <summary>
/// src/Web/types/protocol.d.ts is the pages' copy of the hub's contract, which tsc checks the JavaScript against. These
/// tests hold it to the C# side by reflection, so a renamed field or a new hub method cannot leave the pages' types behind.
/// </summary>
public sealed partial class ProtocolDeclarationTests
{
    private static readonly string DeclarationPath = Path.Combine("src", "Web", "types", "protocol.d.ts");
    private static readonly Declaration Declared = Declaration.Parse(File.ReadAllText(Path.Combine(Repo.Root, DeclarationPath)));
    private static readonly NullabilityInfoContext Nullability = new();

    private static IEnumerable<MethodInfo> HubMethods => typeof(EventHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            && m.ReturnType.GetGenericArguments()[0] is { IsGenericType: true } r && r.GetGenericTypeDefinition() == typeof(HubResult<>));

    private static IEnumerable<MethodInfo> ClientEvents => typeof(ILiveClient).GetMethods();

    [Fact]
    public void EveryHubMethodIsDeclaredWithItsArgumentsAndResult()
    {
        // The hub tolerates a missing argument; the pages always send one, so the declaration may leave out "| null".
        var problems = Compare("hub method", "HubMethods", "the hub", HubMethods, Declared.HubMethods,
            method => method.GetParameters().Select(p => TypeScript(p.ParameterType, null)), NotNull,
            method => TypeScript(method.ReturnType.GetGenericArguments()[0].GetGenericArguments()[0], null));

        Assert.True(problems.Count == 0, $"{DeclarationPath} is out of step with EventHub:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryClientEventIsDeclaredWithItsPayload()
    {
        var problems = Compare("client event", "ClientEvents", "ILiveClient", ClientEvents, Declared.ClientEvents,
            method => method.GetParameters().Select(p => TypeScript(p.ParameterType, Nullability.Create(p))), type => type,
            _ => "void");

        Assert.True(problems.Count == 0, $"{DeclarationPath} is out of step with ILiveClient:\n" + string.Join("\n", problems));
    }

    /// <summary>Each method against its declaration, both ways: missing, extra, other arguments or another result.</summary>
    private static List<string> Compare(
        string kind, string map, string owner, IEnumerable<MethodInfo> methods, Dictionary<string, (List<string> Parameters, string Result)> declarations,
        Func<MethodInfo, IEnumerable<string>> parameters, Func<string, string> declaredParameter, Func<MethodInfo, string> result)
    {
        var problems = new List<string>();
        foreach (var method in methods)
        {
            if (!declarations.TryGetValue(method.Name, out var declared))
            {
                problems.Add($"{kind} {method.Name} is missing from {map}");
                continue;
            }
            var expected = parameters(method).ToList();
            if (!expected.SequenceEqual(declared.Parameters.Select(declaredParameter)))
            {
                problems.Add($"{kind} {method.Name}: declared ({string.Join(", ", declared.Parameters)}), {owner} has ({string.Join(", ", expected)})");
            }
            if (result(method) != declared.Result)
            {
                problems.Add($"{kind} {method.Name}: declared result {declared.Result}, {owner} has {result(method)}");
            }
        }
        problems.AddRange(declarations.Keys.Except(methods.Select(m => m.Name)).Select(name => $"{map} declares {name}, which {owner} does not have"));
        return problems;
    }

    [Fact]
    public void EveryRecordOnTheWireIsDeclaredWithTheSamePropertiesAndTypes()
    {
        var problems = new List<string>();
        var wire = WireRecords();
        foreach (var type in wire)
        {
            if (!Declared.Interfaces.TryGetValue(type.Name, out var declared))
            {
                problems.Add($"interface {type.Name} ({type.FullName}) is missing");
                continue;
            }
            var properties = JsonProperties(type).ToDictionary(p => p.Name, p => p.Type);
            foreach (var name in properties.Keys.Except(declared.Keys))
            {
                problems.Add($"{type.Name}.{name} is missing (the C# record has it)");
            }
            foreach (var name in declared.Keys.Except(properties.Keys))
            {
                problems.Add($"{type.Name}.{name} is declared but the C# record has no such JSON property");
            }
            foreach (var (name, type_) in properties.Where(p => declared.ContainsKey(p.Key)))
            {
                if (!SameType(type_, declared[name]))
                {
                    problems.Add($"{type.Name}.{name}: declared {declared[name]}, the record has {type_}");
                }
            }
        }
        var names = wire.Select(t => t.Name).ToHashSet();
        problems.AddRange(Declared.Interfaces.Keys.Where(name => !names.Contains(name) && !Declaration.Helpers.Contains(name))
            .Select(name => $"interface {name} is declared but no hub method, client event or export carries a C# record of that name"));

        Assert.True(problems.Count == 0, $"{DeclarationPath} is out of step with the C# records:\n" + string.Join("\n", problems));
    }

    /// <summary>The string fields declared as unions of literals, and the C# constants they list (all, or some).</summary>
    public static TheoryData<string, Type, bool> Literals => new()
    {
        { "QuestionStatus", typeof(LiveHub.Data.Questions.QuestionStatus), true },
        { "QuestionAction", typeof(LiveHub.Questions.ModerationActions), true },
        { "PollKind", typeof(LiveHub.Polls.PollKinds), true },
        { "PollVisibility", typeof(LiveHub.Polls.PollVisibility), true },
        { "PollStatus", typeof(LiveHub.Data.Polls.PollStatus), true },
        { "VoteStatus", typeof(LiveHub.Data.Polls.VoteStatus), true },
        { "AnswerStatus", typeof(LiveHub.Data.Polls.VoteStatus), false },
        { "AnswerAction", typeof(LiveHub.Questions.ModerationActions), false },
        { "SessionStatus", typeof(LiveHub.Events.SessionStatus), true },
        { "ModerationMode", typeof(LiveHub.Events.ModerationModes), true },
        { "SessionViewKind", typeof(LiveHub.Events.SessionViews), true },
        { "ProjectorMode", typeof(LiveHub.Polls.ProjectorModes), true },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void EveryUnionOfLiteralsListsTheServersConstants(string alias, Type constants, bool all)
    {
        Assert.True(Declared.Aliases.TryGetValue(alias, out var declared), $"type {alias} is missing from {DeclarationPath}");
        var values = constants.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        var literals = declared.Split(" | ").Select(l => l.Trim('\'')).ToHashSet();

        Assert.True(literals.IsSubsetOf(values), $"type {alias} lists {string.Join(", ", literals.Except(values))}, not among {constants.Name}'s constants");
        Assert.True(!all || values.SetEquals(literals), $"type {alias} lacks {string.Join(", ", values.Except(literals))} of {constants.Name}'s constants");
    }

    [Fact]
    public void EveryUnionOfLiteralsIsHeldToTheServersConstants() =>
        Assert.Equal(Literals.Select(row => (string)row[0]).Order(), Declared.Aliases.Keys.Order());

    /// <summary>The HTTP answers the pages read as JSON beyond the hub's own records: the exports the session report draws.</summary>
    private static readonly Type[] HttpAnswers = [typeof(LiveHub.Export.QuestionExport), typeof(LiveHub.Export.PollExport), typeof(LiveHub.Export.ReactionExport)];

    /// <summary>Every record reachable from a hub method's arguments or result, a client event's payload, or an HTTP answer above.</summary>
    private static List<Type> WireRecords()
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(HubMethods.SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Concat(ClientEvents.SelectMany(m => m.GetParameters().Select(p => p.ParameterType)))
            .Concat(HttpAnswers));
        while (queue.TryDequeue(out var type))
        {
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    queue.Enqueue(argument);
                }
                continue;
            }
            if (type.IsArray)
            {
                queue.Enqueue(type.GetElementType()!);
                continue;
            }
            if (type.Namespace?.StartsWith("LiveHub", StringComparison.Ordinal) == true && seen.Add(type))
            {
                foreach (var property in JsonProperties(type))
                {
                    queue.Enqueue(property.Info.PropertyType);
                }
            }
        }
        return [.. seen.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private static IEnumerable<(string Name, string Type, PropertyInfo Info)> JsonProperties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
        .Select(p => (
            p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            TypeScript(p.PropertyType, Nullability.Create(p)),
            p));

    /// <summary>How a .NET type looks in the declaration, in the one spelling the declaration uses.</summary>
    private static string TypeScript(Type type, NullabilityInfo? nullability)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || nullability?.ReadState == NullabilityState.Nullable;
        type = underlying ?? type;
        var name = type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(double) => "number",
            _ when type.IsArray => Element(type.GetElementType()!) + "[]",
            { IsGenericType: true } when type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) =>
                $"Record<string, {TypeScript(type.GetGenericArguments()[1], null)}>",
            { IsGenericType: true } when type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => Element(type.GetGenericArguments()[0]) + "[]",
            _ when type.Namespace?.StartsWith("LiveHub", StringComparison.Ordinal) == true => type.Name,
            _ => throw new InvalidOperationException($"No TypeScript spelling for {type}: teach ProtocolDeclarationTests.TypeScript."),
        };
        return nullable ? name + " | null" : name;

        static string Element(Type element) => TypeScript(element, null);
    }

    private static string NotNull(string type) => type.EndsWith(" | null", StringComparison.Ordinal) ? type[..^" | null".Length] : type;

    /// <summary>A string may be declared as one of the unions of literals; everything else must match exactly.</summary>
    private static bool SameType(string expected, string declared) =>
        expected == declared || (expected.StartsWith("string", StringComparison.Ordinal)
            && Declared.Aliases.ContainsKey(NotNull(declared))
            && expected.EndsWith(" | null", StringComparison.Ordinal) == declared.EndsWith(" | null", StringComparison.Ordinal));

    /// <summary>The parts of protocol.d.ts these tests compare: interfaces with their properties, and the two method maps.</summary>
    private sealed partial record Declaration(
        Dictionary<string, string> Aliases,
        Dictionary<string, Dictionary<string, string>> Interfaces,
        Dictionary<string, (List<string> Parameters, string Result)> HubMethods,
        Dictionary<string, (List<string> Parameters, string Result)> ClientEvents)
    {
        /// <summary>Interfaces of the declaration that are not C# records: the maps themselves and the result envelope.</summary>
        public static readonly string[] Helpers = ["HubMethods", "ClientEvents", "HubResult"];

        public static Declaration Parse(string text)
        {
            text = Comments().Replace(text, "");
            var interfaces = new Dictionary<string, Dictionary<string, string>>();
            var hub = new Dictionary<string, (List<string>, string)>();
            var events = new Dictionary<string, (List<string>, string)>();
            foreach (Match block in Interface().Matches(text))
            {
                var name = block.Groups["name"].Value;
                var body = block.Groups["body"].Value;
                if (name is "HubMethods" or "ClientEvents")
                {
                    var methods = name == "HubMethods" ? hub : events;
                    foreach (Match m in Method().Matches(body))
                    {
                        methods[m.Groups["name"].Value] = (SplitParameters(m.Groups["parameters"].Value), m.Groups["result"].Value.Trim());
                    }
                }
                else
                {
                    interfaces[name] = Property().Matches(body).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value.Trim());
                }
            }
            var aliases = Alias().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["literals"].Value);
            return new Declaration(aliases, interfaces, hub, events);
        }

        /// <summary>"a: X | null, b: Record&lt;string, number&gt;" gives the types, split at commas outside brackets.</summary>
        private static List<string> SplitParameters(string parameters)
        {
            var types = new List<string>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i <= parameters.Length; i++)
            {
                if (i == parameters.Length || (parameters[i] == ',' && depth == 0))
                {
                    var parameter = parameters[start..i].Trim();
                    if (parameter.Length > 0)
                    {
                        types.Add(parameter[(parameter.IndexOf(':') + 1)..].Trim());
                    }
                    start = i + 1;
                }
                else if (parameters[i] is '<' or '(' or '[' or '{')
                {
                    depth++;
                }
                else if (parameters[i] is '>' or ')' or ']' or '}')
                {
                    depth--;
                }
            }
            return types;
        }

        [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
        private static partial Regex Comments();

        [GeneratedRegex(@"^export type (?<name>\w+) = (?<literals>'[^']*'(?: \| '[^']*')*);", RegexOptions.Multiline)]
        private static partial Regex Alias();

        [GeneratedRegex(@"export interface (?<name>\w+)(?:<[^>]*>)? \{(?<body>[^}]*)\}")]
        private static partial Regex Interface();

        [GeneratedRegex(@"^\s*(?<name>\w+)\((?<parameters>[^)]*)\): (?<result>[^;]+);", RegexOptions.Multiline)]
        private static partial Regex Method();

        [GeneratedRegex(@"^\s*(?<name>\w+)\??: (?<type>[^;]+);", RegexOptions.Multiline)]
        private static partial Regex Property();
    }
}
